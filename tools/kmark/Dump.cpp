//===- Dump.cpp - kmark dump: every fact of an index ----------------------===//
//
// kmark dump: every fact of an index as tab-separated lines, for scripts.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "kmark/Index.h"
#include "kmark/Rules.h"

#include "llvm/Support/raw_ostream.h"

namespace kmark::driver {

namespace {

/// A field of a tab-separated line: tabs and line breaks become blanks.
std::string tsv(llvm::StringRef S) {
  std::string Out = S.str();
  for (char &C : Out)
    if (C == '\t' || C == '\n' || C == '\r')
      C = ' ';
  return Out;
}

} // namespace

/// One line per fact: "A" accesses (file, line, col, field, kind, marking,
/// function, text, flags, why exempt, locks, object kind, size), "S" slot
/// fills (ops type, slot, function, holder, static), "F" functions (key,
/// file, line, flags), "I" slot calls (caller, ops type, slot, locks), "C"
/// calls (caller, callee, locks, arguments), "E" what a struct or global
/// holds (file, outer, inner, pointer, global, link).
int dumpMain(const char *Argv0) {
  const KernelModel *Model = loadDriverModel(Argv0);
  if (!Model)
    return 2;
  int Status = 0;
  std::unique_ptr<FactSet> Set = loadIndexOrFail(Status);
  if (!Set)
    return Status;
  Index Idx({Set.get()});
  Analyzer An(Idx, *Model);
  for (const FileFacts *F : Idx.files()) {
    for (const Access &A : F->Accesses)
      llvm::outs() << "A\t" << A.File << "\t" << A.Line << "\t" << A.Col
                   << "\t" << A.Field << "\t" << accessKindName(A.Kind)
                   << "\t" << markingName(A.Mark) << "\t" << A.Function
                   << "\t" << tsv(A.Text) << "\t" << A.Flags << "\t"
                   << An.exemption(A) << "\t" << lockListText(A.Locks)
                   << "\t" << A.ObjectKind << "\t" << static_cast<unsigned>(A.Size)
                   << "\n";
    for (const SlotFill &S : F->Slots)
      llvm::outs() << "S\t" << S.OpsType << "\t" << S.Slot << "\t"
                   << S.Function << "\t" << S.Holder << "\t" << S.Static
                   << "\t" << S.Caller << "\n";
    for (const Function &Fn : F->Functions)
      llvm::outs() << "F\t" << Fn.Key << "\t" << Fn.File << "\t" << Fn.Line
                   << "\t" << Fn.Flags << "\t" << Fn.Module << "\n";
    for (const SlotCall &C : F->SlotCalls)
      llvm::outs() << "I\t" << C.Caller << "\t" << C.OpsType << "\t" << C.Slot
                   << "\t" << lockListText(C.Locks) << "\n";
    for (const CallEdge &E : F->Calls)
      llvm::outs() << "C\t" << E.Caller << "\t" << E.Callee << "\t"
                   << lockListText(E.Locks) << "\t" << argListText(E.Args)
                   << "\n";
    for (const Embedding &E : F->Embeddings)
      llvm::outs() << "E\t" << F->Path << "\t" << E.Outer << "\t" << E.Inner
                   << "\t" << E.Pointer << "\t" << E.Global << "\t" << E.Link
                   << "\n";
  }
  return 0;
}

} // namespace kmark::driver
