//===- Index.cpp - Shards merged into one tree-wide index -----------------===//

#include "kmark/Index.h"

#include "kmark/Serialization.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace kmark {

/// The members a sysctl's .data passes through on the way to its field,
/// read from the entry's spelling when it is a plain chain from a global,
/// `xfs_params.error_level.val` -> "error_level", as an access's Members
/// names them: two entries of one table on two members of one struct are
/// two objects.  "" for anything else (a pointer, an element, a macro).
/// The spelling cannot tell a union's arm from a struct's member, which
/// Members leaves out below an arm: a .data through a union would be
/// named by more members than its readers (none known in 6.12).
static llvm::StringRef sysctlMembers(llvm::StringRef Text) {
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  Text.split(Parts, '.');
  if (Parts.size() < 3)
    return "";
  if (!llvm::all_of(Parts, isIdentifier))
    return "";
  // The text lives as long as the index's facts: a slice of it.
  size_t Begin = Parts.front().size() + 1;
  size_t End = Text.size() - Parts.back().size() - 1;
  return Text.slice(Begin, End);
}

uint64_t fileDigest(llvm::StringRef Path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buf =
      llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!Buf)
    return 0;
  return llvm::xxh3_64bits((*Buf)->getBuffer());
}

void Merger::add(const FactSet &Shard) {
  ++Shards;
  for (const FileFacts &F : Shard.Files) {
    if (F.External)
      continue; // a reference: the facts come in their own header shard
    std::vector<Version> &Versions = ByPath[F.Path];
    auto Same = llvm::find_if(
        Versions, [&](const Version &V) { return V.Digest == F.Digest; });
    if (Same == Versions.end()) {
      Out->copyFile(F);
      Versions.push_back({F.Digest, Out->Files.size() - 1});
      continue;
    }
    // The same contents seen by another TU (another build variant, other
    // macros): the union of both, so that neither the order shards arrive
    // in nor which TU saw a header first changes the index.
    unite(Out->Files[Same->Facts], F);
  }
  for (const TUEntry &TU : Shard.TUs) {
    TUEntry &Dst = TUs[TU.MainFile];
    Dst.MainFile = Out->save(TU.MainFile);
    Dst.Files.clear();
    for (llvm::StringRef F : TU.Files)
      Dst.Files.push_back(Out->save(F));
  }
}

/// Orders facts by every field they have, the order fields() lists.
struct FactLess {
  template <typename Fact> bool operator()(const Fact &A, const Fact &B) const {
    return Fact::fields(A) < Fact::fields(B);
  }
};

void Merger::unite(FileFacts &Into, const FileFacts &From) {
  // Copy the records Into lacks through a scratch file, so their strings
  // land in the merged set's arena.
  FileFacts Extra;
  Extra.Path = From.Path;
  // What From has and Into lacks, list by list.
  FileFacts::lists(Extra, [&](auto &Out) {
    using List = std::decay_t<decltype(Out)>;
    const List *Have = nullptr, *New = nullptr;
    FileFacts::lists(Into, [&](const auto &L) {
      if constexpr (std::is_same_v<std::decay_t<decltype(L)>, List>)
        Have = &L;
    });
    FileFacts::lists(From, [&](const auto &L) {
      if constexpr (std::is_same_v<std::decay_t<decltype(L)>, List>)
        New = &L;
    });
    List Sorted = *Have;
    llvm::sort(Sorted, FactLess());
    for (const auto &Fact : *New)
      if (!std::binary_search(Sorted.begin(), Sorted.end(), Fact, FactLess()))
        Out.push_back(Fact);
  });
  // A function is one record per key, whatever each TU saw of it.
  llvm::StringSet<> Keys;
  for (const Function &Fn : Into.Functions)
    Keys.insert(Fn.Key);
  llvm::erase_if(Extra.Functions,
                 [&](const Function &Fn) { return !Keys.insert(Fn.Key).second; });
  if (Extra.empty())
    return;
  size_t Index = &Into - Out->Files.data();
  FileFacts Copy = std::move(Out->copyFile(Extra));
  Out->Files.pop_back();
  FileFacts &Dst = Out->Files[Index];
  FileFacts::lists(Dst, [&](auto &To) {
    FileFacts::lists(Copy, [&](auto &From) {
      if constexpr (std::is_same_v<std::decay_t<decltype(To)>,
                                   std::decay_t<decltype(From)>>)
        llvm::append_range(To, From);
    });
  });
}

/// Records in one total order, whatever order they were merged in.
static void canonicalize(FileFacts &F) {
  FileFacts::lists(F, [](auto &L) { llvm::sort(L, FactLess()); });
}

std::unique_ptr<FactSet>
Merger::finish(const std::function<uint64_t(llvm::StringRef)> &DiskDigest) {
  std::vector<llvm::StringRef> Paths;
  for (const auto &E : ByPath)
    Paths.push_back(E.getKey());
  llvm::sort(Paths);
  std::vector<FileFacts> Picked;
  Picked.reserve(Paths.size());
  for (llvm::StringRef P : Paths) {
    std::vector<Version> &Vs = ByPath[P];
    const Version *Pick = &Vs.front();
    if (Vs.size() > 1) {
      uint64_t Now = DiskDigest ? DiskDigest(P) : 0;
      const Version *OnDisk = nullptr;
      for (const Version &V : Vs) {
        if (V.Digest == Now)
          OnDisk = &V;
        if (V.Digest > Pick->Digest)
          Pick = &V;
      }
      if (OnDisk)
        Pick = OnDisk;
    }
    Picked.push_back(std::move(Out->Files[Pick->Facts]));
    canonicalize(Picked.back());
    // The union of every variant's facts: no longer one variant's.
    Picked.back().Variant = 0;
  }
  Out->Files = std::move(Picked);
  std::vector<llvm::StringRef> Mains;
  for (const auto &E : TUs)
    Mains.push_back(E.getKey());
  llvm::sort(Mains);
  Out->TUs.clear();
  for (llvm::StringRef M : Mains)
    Out->TUs.push_back(std::move(TUs[M]));
  ByPath.clear();
  TUs.clear();
  auto Result = std::move(Out);
  Out = std::make_unique<FactSet>();
  return Result;
}

std::unique_ptr<FactSet> mergeShardFiles(std::vector<std::string> Files,
                                         llvm::StringRef Root,
                                         MergeStats &Stats) {
  // Path order is main-file order closely enough (shards are named after
  // their main file), and the merge is order-independent anyway.
  llvm::sort(Files);
  Merger M;
  llvm::StringSet<> HeadersSeen;
  for (const std::string &Path : Files) {
    FactSet S;
    if (llvm::Error E = readFactsFile(Path, FactsKind::Shard, S)) {
      Stats.Problems.push_back("skipping a shard: " +
                               llvm::toString(std::move(E)));
      continue;
    }
    M.add(S);
    llvm::SmallString<256> Dir(llvm::sys::path::parent_path(Path));
    llvm::sys::path::append(Dir, "headers");
    for (const FileFacts &F : S.Files) {
      if (!F.External)
        continue;
      std::string Name = headerShardFileName(F.Path, F.Digest, F.Variant);
      if (!HeadersSeen.insert(Name).second)
        continue;
      llvm::SmallString<256> H(Dir);
      llvm::sys::path::append(H, Name);
      FactSet HS;
      if (llvm::Error E = readFactsFile(H, FactsKind::Shard, HS)) {
        Stats.Problems.push_back(
            ("the facts of " + F.Path + " are missing (" +
             llvm::toString(std::move(E)) + "); run kmark with --force")
                .str());
        continue;
      }
      ++Stats.HeaderShards;
      M.add(HS);
    }
  }
  Stats.Shards = M.numShards() - Stats.HeaderShards;
  std::string RootS = Root.str();
  return M.finish([RootS](llvm::StringRef P) {
    llvm::SmallString<256> A(P);
    if (!llvm::sys::path::is_absolute(A)) {
      A = RootS;
      llvm::sys::path::append(A, P);
    }
    return fileDigest(A);
  });
}

Index::Index(llvm::ArrayRef<const FactSet *> Layers) {
  // Later layers win: walk them last-first and skip paths already taken.
  llvm::StringSet<> Taken, TakenTUs;
  std::vector<const FileFacts *> Picked;
  for (const FactSet *L : llvm::reverse(Layers)) {
    for (const FileFacts &F : L->Files)
      if (!F.External && Taken.insert(F.Path).second)
        Picked.push_back(&F);
    for (const TUEntry &TU : L->TUs)
      if (TakenTUs.insert(TU.MainFile).second)
        TUList.push_back(&TU);
  }
  Files.assign(Picked.rbegin(), Picked.rend());
  for (const FileFacts *F : Files) {
    NumAccesses += F->Accesses.size();
    for (const Access &A : F->Accesses)
      ByField[A.Field].push_back(&A);
    for (const Function &Fn : F->Functions) {
      Functions.try_emplace(Fn.Key, &Fn);
      auto [It, New] = Modules.try_emplace(Fn.Key, Fn.Module);
      if (!New && It->second != Fn.Module)
        It->second = llvm::StringRef(); // one name, two modules
    }
    for (const Embedding &E : F->Embeddings)
      if (E.Global)
        InGlobals.insert(E.Inner);
      else
        Holds[E.Outer].push_back({E.Inner, E.Pointer, E.Link});
    for (const SlotFill &S : F->Slots) {
      SlotsByFunction[S.Function].push_back(&S);
      FillersBySlot[(S.OpsType + "." + S.Slot).str()].push_back(&S);
    }
    // A sysctl entry: its handler writes the field with WRITE_ONCE()
    // through ctl_table.data (the rules weigh who the handler is).
    for (const SysctlEntry &S : F->Sysctls) {
      Access &A = Synthetic.emplace_back();
      A.Field = S.Field;
      A.Function = S.Handler;
      A.File = S.File;
      A.Text = S.Text;
      A.Members = sysctlMembers(S.Text);
      A.ObjectKind = S.ObjectKind;
      A.Line = S.Line;
      A.Col = S.Col;
      A.Kind = AccessKind::Store;
      A.Mark = Marking::WriteOnce;
      ByField[A.Field].push_back(&A);
      SysctlOf[&A] = &S;
      ++NumAccesses;
    }
    for (const SlotCall &C : F->SlotCalls)
      SlotCallsTo[(C.OpsType + "." + C.Slot).str()].push_back(&C);
    for (const CallEdge &E : F->Calls) {
      Callers[E.Callee].push_back(E.Caller);
      CallsTo[E.Callee].push_back(&E);
      CallsFrom[E.Caller].push_back(&E);
      Callees[E.Caller].push_back(E.Callee);
    }
  }
  // What a global holds by value is in a global too.
  std::vector<llvm::StringRef> Work;
  for (const auto &G : InGlobals)
    Work.push_back(G.getKey());
  while (!Work.empty()) {
    auto It = Holds.find(Work.back());
    Work.pop_back();
    if (It == Holds.end())
      continue;
    for (const Held &H : It->second)
      if (!H.Pointer && InGlobals.insert(H.Inner).second)
        Work.push_back(H.Inner);
  }
  synthesizeHelperAccesses();
  instantiateEmbeddedAccesses();
}

void Index::synthesizeHelperAccesses() {
  // What each function does through each pointer parameter, marked:
  // directly (WRITE_ONCE(*valp, v)) or by passing it on to a function
  // that does.  A union grown to its fixpoint: the same whatever the order
  // of the files.
  using Use = std::pair<AccessKind, Marking>;
  std::map<std::pair<llvm::StringRef, unsigned>, std::set<Use>> Marks;
  for (const FileFacts *F : Files)
    for (const ParamAccess &P : F->ParamAccesses)
      if (P.Mark != Marking::Plain && P.Mark != Marking::DataRace)
        Marks[{P.Function, P.Param}].insert({P.Kind, P.Mark});
  for (bool Changed = !Marks.empty(); Changed;) {
    Changed = false;
    for (const FileFacts *F : Files)
      for (const CallEdge &E : F->Calls)
        for (unsigned I = 0; I < E.Args.size(); ++I) {
          const ArgOrigin &A = E.Args[I];
          if (A.K != ArgOrigin::Param || !A.Index)
            continue;
          auto Callee = Marks.find({E.Callee, I + 1});
          if (Callee == Marks.end())
            continue;
          std::set<Use> Uses = Callee->second;
          std::set<Use> &Into = Marks[{E.Caller, A.Index}];
          for (const Use &U : Uses)
            Changed |= Into.insert(U).second;
        }
  }
  // Each call that passes a field's address to such a parameter marks that
  // field there, in the caller, under the caller's locks.
  for (const FileFacts *F : Files)
    for (const FieldArg &C : F->FieldArgs) {
      if (!C.Members.empty())
        continue; // an embedded struct's: below
      auto It = Marks.find({C.Callee, C.Arg});
      if (It == Marks.end())
        continue;
      for (const Use &U : It->second) {
        Access &A = Synthetic.emplace_back();
        A.Field = C.Field;
        A.Function = C.Caller;
        A.File = C.File;
        A.Text = C.Text;
        A.ObjectKind = C.ObjectKind;
        A.Locks = C.Locks;
        A.Line = C.Line;
        A.Col = C.Col;
        A.Kind = U.first;
        A.Mark = U.second;
        ByField[A.Field].push_back(&A);
        HelperCallOf[&A] = &C;
        ++NumAccesses;
      }
    }
}

template <typename T>
static llvm::ArrayRef<T> lookup(const llvm::StringMap<std::vector<T>> &M,
                                llvm::StringRef Key) {
  auto It = M.find(Key);
  if (It == M.end())
    return {};
  return It->second;
}

llvm::ArrayRef<const Access *> Index::accessesOf(llvm::StringRef Field) const {
  return lookup(ByField, Field);
}

const Function *Index::function(llvm::StringRef Key) const {
  auto It = Functions.find(Key);
  return It == Functions.end() ? nullptr : It->second;
}

llvm::StringRef Index::moduleOf(llvm::StringRef Key) const {
  auto It = Modules.find(Key);
  return It == Modules.end() ? llvm::StringRef() : It->second;
}

llvm::ArrayRef<const SlotFill *>
Index::slotsOf(llvm::StringRef Function) const {
  return lookup(SlotsByFunction, Function);
}

llvm::ArrayRef<const SlotFill *>
Index::fillersOf(llvm::StringRef OpsType, llvm::StringRef Slot) const {
  return lookup(FillersBySlot, (OpsType + "." + Slot).str());
}

llvm::ArrayRef<llvm::StringRef>
Index::callersOf(llvm::StringRef Function) const {
  return lookup(Callers, Function);
}

llvm::ArrayRef<const CallEdge *>
Index::callsTo(llvm::StringRef Function) const {
  return lookup(CallsTo, Function);
}

llvm::ArrayRef<const CallEdge *>
Index::callsFrom(llvm::StringRef Function) const {
  return lookup(CallsFrom, Function);
}

bool Index::holds(llvm::StringRef Outer, llvm::StringRef Inner,
                  unsigned Pointers, bool Links) const {
  if (Outer == Inner)
    return true;
  // A walk down the members, each struct with the fewest pointers taken
  // to reach it: a short one, structs nest a few deep.
  llvm::SmallVector<std::pair<llvm::StringRef, unsigned>, 16> Work{{Outer, 0}};
  llvm::StringMap<unsigned> Best{{Outer, 0}};
  while (!Work.empty()) {
    auto [S, Used] = Work.pop_back_val();
    auto It = Holds.find(S);
    if (It == Holds.end())
      continue;
    for (const auto &[I, Pointer, Link] : It->second) {
      unsigned U = Used + Pointer;
      if (U > Pointers || (Link && !Links))
        continue;
      if (I == Inner)
        return true;
      auto [B, New] = Best.try_emplace(I, U);
      if (New || U < B->second) {
        B->second = U;
        Work.emplace_back(I, U);
      }
    }
  }
  return false;
}

llvm::ArrayRef<const SlotCall *> Index::slotCalls(llvm::StringRef OpsType,
                                                  llvm::StringRef Slot) const {
  return lookup(SlotCallsTo, (OpsType + "." + Slot).str());
}

llvm::ArrayRef<llvm::StringRef>
Index::calleesOf(llvm::StringRef Function) const {
  return lookup(Callees, Function);
}

void Index::instantiateEmbeddedAccesses() {
  // A helper's marked accesses through a parameter, `WRITE_ONCE(list->first,
  // node)` in wq_list_add_tail(), are made on whatever its callers pass.
  // Where a call passes an embedded struct, &ctx->iopoll_list, the access
  // is that member's, in the caller, under the caller's locks: io_uring's
  // lists under uring_lock and io-wq's under their own lock are different
  // objects, which one access in the helper with the locks all its callers
  // share cannot tell apart (RacerD's summaries, applied at each call).
  // Only accesses of the parameter itself (`p->f`, not container_of(p)'s)
  // and only parameters handed on as they are.
  using Key = std::pair<llvm::StringRef, unsigned>;
  std::map<Key, llvm::SmallSetVector<const Access *, 4>> Through;
  for (const FileFacts *F : Files)
    for (const Access &A : F->Accesses)
      if (A.has(AF_ParamItself) && A.From.Kind == OriginKind::Param &&
          A.From.Param && A.Mark != Marking::Plain &&
          A.Mark != Marking::DataRace && A.Mark != Marking::VolatileField)
        Through[{A.Function, A.From.Param}].insert(&A);
  if (Through.empty())
    return;
  // A helper that hands its parameter on (wq_list_del() to wq_list_cut())
  // makes the accesses of the one it calls: a worklist up the calls.
  std::map<Key, std::vector<Key>> HandedBy; // callee's -> callers'
  for (const FileFacts *F : Files)
    for (const CallEdge &E : F->Calls)
      for (unsigned I = 0; I < E.Args.size(); ++I)
        if (E.Args[I].K == ArgOrigin::Param && E.Args[I].Itself &&
            E.Args[I].Index && E.Caller != E.Callee)
          HandedBy[Key(E.Callee, I + 1)].emplace_back(E.Caller,
                                                      E.Args[I].Index);
  std::vector<Key> Work;
  Work.reserve(Through.size());
  for (const auto &T : Through)
    Work.push_back(T.first);
  while (!Work.empty()) {
    Key From = Work.back();
    Work.pop_back();
    auto H = HandedBy.find(From);
    if (H == HandedBy.end())
      continue;
    for (const Key &To : H->second) {
      // Through may grow here: copy the source's set first.
      llvm::SmallVector<const Access *, 4> Add(Through[From].begin(),
                                               Through[From].end());
      bool Grew = false;
      for (const Access *X : Add)
        Grew |= Through[To].insert(X);
      if (Grew)
        Work.push_back(To);
    }
  }
  std::set<std::tuple<llvm::StringRef, llvm::StringRef, unsigned>> Passes;
  for (const FileFacts *F : Files)
    for (const FieldArg &C : F->FieldArgs) {
      if (C.Members.empty())
        continue;
      auto It = Through.find({C.Callee, C.Arg});
      if (It == Through.end())
        continue;
      if (C.EveryCall)
        Passes.insert({C.Caller, C.Callee, C.Arg});
      for (const Access *X : It->second) {
        Access &A = Synthetic.emplace_back();
        A.Field = X->Field;
        A.Function = C.Caller;
        A.File = C.File;
        A.Line = C.Line;
        A.Col = C.Col;
        A.Kind = X->Kind;
        A.Mark = X->Mark;
        A.Size = X->Size;
        A.ObjectKind = C.ObjectKind;
        // list->first in the helper is ctx->iopoll_list.first here.
        llvm::StringRef Member = X->Text.split("->").second;
        if (Member.empty())
          Member = X->Field.rsplit("::").second;
        A.Text = Saved.save((C.Text + "." + Member).str());
        A.Members = X->Members.empty()
                        ? C.Members
                        : Saved.save((C.Members + "." + X->Members).str());
        // The caller's locks at the call, less those the helper releases
        // before the access, and those it takes.
        std::vector<LockFact> &L = SyntheticLocks.emplace_back();
        for (const LockFact &H : C.Locks)
          if (llvm::none_of(X->Locks, [&](const LockFact &R) {
                return R.Released && R.Class == H.Class;
              }))
            L.push_back(H);
        for (const LockFact &H : X->Locks)
          if (!H.Released && H.named())
            L.push_back(H);
        A.Locks = L;
        ByField[A.Field].push_back(&A);
        HelperCallOf[&A] = &C;
        InstanceOf[&A] = X;
        ++NumAccesses;
      }
    }
  // The helper's own access stands for no object of its own once every
  // call to it passes an embedded struct there, or hands on a parameter
  // that every call fills so: the rules leave it out.  Not for a helper
  // that other code may call (not static) or that is called through a
  // pointer (stored in a slot): those calls have no instance.
  auto Local = [&](llvm::StringRef Fn) {
    const Function *F = function(Fn);
    return F && (F->Flags & FF_Static) && lookup(SlotsByFunction, Fn).empty();
  };
  std::set<Key> Covered;
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const auto &T : Through) {
      llvm::StringRef Helper = T.first.first;
      unsigned Param = T.first.second;
      if (Covered.count(T.first) || !Local(Helper))
        continue;
      llvm::ArrayRef<const CallEdge *> In = lookup(CallsTo, Helper);
      bool Every = !In.empty() && llvm::all_of(In, [&](const CallEdge *E) {
        if (E->Caller == Helper || Passes.count({E->Caller, Helper, Param}))
          return true;
        const ArgOrigin *A =
            Param <= E->Args.size() ? &E->Args[Param - 1] : nullptr;
        return A && A->K == ArgOrigin::Param && A->Itself && A->Index &&
               Covered.count(Key(E->Caller, A->Index));
      });
      if (Every) {
        Covered.insert(T.first);
        Changed = true;
      }
    }
  }
  for (const auto &T : Through)
    if (Covered.count(T.first))
      for (const Access *X : T.second)
        if (X->Function == T.first.first)
          Instantiated.insert(X);
}

} // namespace kmark
