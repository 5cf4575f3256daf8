//===- Helpers.h - Building facts for the unit tests ----------------------===//

#ifndef KMARK_TEST_UNIT_HELPERS_H
#define KMARK_TEST_UNIT_HELPERS_H

#include "kmark/Facts.h"
#include "kmark/Model.h"

#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>

namespace kmark::test {

/// The kernel model kmark installs, read from the source tree once.
inline const KernelModel &kernelModel() {
  static const KernelModel M = [] {
    llvm::Expected<KernelModel> L = loadModel({KMARK_MODEL_FILE});
    if (!L) {
      llvm::errs() << llvm::toString(L.takeError()) << "\n";
      return KernelModel();
    }
    return std::move(*L);
  }();
  return M;
}

/// A lock list from text: "a::lock;-b::lock;?;c(shared)".
inline LockList locks(FactSet &Set, llvm::StringRef Text) {
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  Text.split(Parts, ';', -1, /*KeepEmpty=*/false);
  std::vector<LockFact> L;
  for (llvm::StringRef P : Parts) {
    LockFact F;
    F.Released = P.consume_front("-");
    if (P.consume_back("(shared)"))
      F.Mode = LockMode::Shared;
    F.Class = P == "?" ? llvm::StringRef() : P;
    L.push_back(F);
  }
  llvm::sort(L);
  return Set.save(LockList(L));
}

/// A builder for hand-made facts: one FactSet with one file per TU.
class FactsBuilder {
public:
  explicit FactsBuilder(const std::string &MainFile)
      : Set(std::make_unique<FactSet>()) {
    Set->Files.emplace_back();
    Set->Files.back().Path = Set->save(MainFile);
    Set->Files.back().Digest = 1;
    TUEntry TU;
    TU.MainFile = Set->Files.back().Path;
    TU.Files.push_back(TU.MainFile);
    Set->TUs.push_back(TU);
  }

  Access &access(llvm::StringRef Field, llvm::StringRef Function,
                 AccessKind Kind, Marking Mark, uint32_t Line) {
    FileFacts &F = Set->Files.front();
    Access A;
    A.Field = Set->save(Field);
    A.Function = Set->save(Function);
    A.File = F.Path;
    A.Text = Set->save("p->x");
    A.Kind = Kind;
    A.Mark = Mark;
    A.Line = Line;
    A.Col = 2;
    A.Begin = Line * 100;
    A.End = A.Begin + 4;
    if (Kind != AccessKind::Load) {
      A.RhsBegin = A.End + 3;
      A.RhsEnd = A.RhsBegin + 1;
      A.SepEnd = A.RhsBegin;
      A.RhsText = Set->save("v");
      A.Op = Set->save(Kind == AccessKind::Store ? "=" : "+=");
    }
    F.Accesses.push_back(A);
    return F.Accesses.back();
  }

  void function(llvm::StringRef Key, uint16_t Flags = 0) {
    Function Fn;
    Fn.Key = Set->save(Key);
    Fn.Name = Set->save(Key.split('@').first);
    Fn.File = Set->Files.front().Path;
    Fn.Flags = Flags;
    Set->Files.front().Functions.push_back(Fn);
  }

  void slot(llvm::StringRef Ops, llvm::StringRef Slot, llvm::StringRef Fn,
            bool Static = true) {
    SlotFill S;
    S.OpsType = Set->save(Ops);
    S.Slot = Set->save(Slot);
    S.Function = Set->save(Fn);
    S.Holder = Set->save("ops_" + Fn.str());
    S.File = Set->Files.front().Path;
    S.Line = 1;
    S.Static = Static;
    Set->Files.front().Slots.push_back(S);
  }

  void call(llvm::StringRef Caller, llvm::StringRef Callee,
            llvm::StringRef Locks = "",
            const std::vector<ArgOrigin> &Args = {}) {
    CallEdge E;
    E.Caller = Set->save(Caller);
    E.Callee = Set->save(Callee);
    E.Locks = locks(*Set, Locks);
    E.Args = Set->save(llvm::ArrayRef<ArgOrigin>(Args));
    Set->Files.front().Calls.push_back(E);
  }

  std::unique_ptr<FactSet> take() { return std::move(Set); }
  FactSet &set() { return *Set; }

private:
  std::unique_ptr<FactSet> Set;
};

} // namespace kmark::test

#endif
