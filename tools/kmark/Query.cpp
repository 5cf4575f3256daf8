//===- Query.cpp - kmark query: every access of a field -------------------===//
//
// kmark query FIELD: every access of a field in the index, marked and plain,
// with the locks held and why the rules exempt it, as text or JSON: the
// evidence behind a finding.
//
//===----------------------------------------------------------------------===//

#include "Common.h"
#include "Options.h"

#include "kmark/Index.h"
#include "kmark/Rules.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace kmark::driver {

int queryMain(const char *Argv0) {
  const KernelModel *Model = loadDriverModel(Argv0);
  if (!Model)
    return 2;
  int Status = 0;
  std::unique_ptr<FactSet> Set = loadIndexOrFail(Status);
  if (!Set)
    return Status;
  Index Idx({Set.get()});
  // Fields named exactly (by key, or by name: each driver's own struct of
  // that name), or every record's field of that name.
  std::vector<std::string> Fields;
  llvm::StringSet<> Seen;
  for (const FileFacts *F : Idx.files())
    for (const Access &A : F->Accesses)
      if ((A.Field == QueryField || fieldName(A.Field) == QueryField ||
           (!llvm::StringRef(QueryField).contains("::") &&
            fieldName(A.Field).ends_with("::" + QueryField))) &&
          Seen.insert(A.Field).second)
        Fields.push_back(A.Field.str());
  llvm::sort(Fields);
  if (Fields.empty()) {
    llvm::errs() << "kmark: no access of '" << QueryField
                 << "' in the index\n";
    return 1;
  }
  Analyzer An(Idx, *Model);
  llvm::json::Array J;
  for (const std::string &Field : Fields) {
    std::vector<const Access *> As(Idx.accessesOf(Field).begin(),
                                   Idx.accessesOf(Field).end());
    llvm::sort(As, [](const Access *A, const Access *B) {
      return std::tie(A->File, A->Line, A->Col) <
             std::tie(B->File, B->Line, B->Col);
    });
    unsigned Marked = 0;
    for (const Access *A : As)
      Marked += A->Mark != Marking::Plain;
    // A driver's own struct: the file that defines it tells it apart.
    auto [Name, Where] = llvm::StringRef(Field).split('@');
    if (!QueryJson)
      llvm::outs() << Name << (Where.empty() ? "" : " (" + Where + ")")
                   << ": " << As.size() << " accesses, " << Marked
                   << " marked\n";
    for (const Access *A : As) {
      std::string Fn = A->Function.split('@').first.str();
      std::string Ctx;
      if (!A->Locks.empty())
        Ctx += "locks held: " + lockListText(A->Locks);
      llvm::StringRef Why = An.exemption(*A);
      if (!Why.empty())
        Ctx += (Ctx.empty() ? "" : "; ") + Why.str();
      if (Why == Analyzer::PublishedLaterReason &&
          !A->has(AF_BeforePublication))
        if (const PublishCall *P = An.publisherAfter(*A); P && !P->primitive())
          Ctx += ", by " + P->Callee.split('@').first.str() + "()";
      if (QueryJson) {
        J.push_back(llvm::json::Object{
            {"field", Field},
            {"file", A->File},
            {"line", A->Line},
            {"column", A->Col},
            {"function", Fn},
            {"kind", accessKindName(A->Kind)},
            {"marking", markingName(A->Mark)},
            {"text", A->Text},
            {"context", Ctx}});
        continue;
      }
      llvm::outs() << llvm::formatv("  {0,-20} {1,-6} {2}:{3}:{4} {5}(){6}\n",
                                    markingName(A->Mark),
                                    accessKindName(A->Kind) == "read-modify-write"
                                        ? "rmw"
                                        : accessKindName(A->Kind),
                                    A->File, A->Line, A->Col, Fn,
                                    Ctx.empty() ? "" : "  [" + Ctx + "]");
    }
  }
  if (QueryJson)
    llvm::outs() << llvm::formatv("{0:2}", llvm::json::Value(std::move(J)))
                 << "\n";
  return 0;
}

} // namespace kmark::driver
