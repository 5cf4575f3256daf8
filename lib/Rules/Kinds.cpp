//===- Kinds.cpp - Evidence scoped to the kind of object ------------------===//
//
// A READ_ONCE() reader of sk_max_ack_backlog on inet sockets says nothing
// about an ATM socket's readers; sch_pie's marked stats say nothing about
// fq_pie's.  An access's kind is what the extractor saw in its function
// (lib/Facts/Kinds.h) or, for an object reached through a parameter with
// nothing more known there, what every caller passes: a helper called on
// TCP and SCTP sockets touches both kinds.
//
//===----------------------------------------------------------------------===//

#include "RulesImpl.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Path.h"

#include <functional>

namespace kmark {

bool compatibleKinds(llvm::StringRef A, llvm::StringRef B) {
  if (A.size() > B.size())
    std::swap(A, B);
  // A is B seen from further in: B ends with A, at a '>' boundary.
  return B == A || (B.ends_with(A) && B[B.size() - A.size() - 1] == '>');
}

std::vector<llvm::StringRef> Analyzer::paramKinds(llvm::StringRef Function,
                                                  unsigned N) {
  using Node = std::pair<llvm::StringRef, unsigned>;
  using Kinds = std::vector<llvm::StringRef>;
  auto ArgOf = [](const CallEdge *E, unsigned N) {
    return N <= E->Args.size() ? E->Args[N - 1] : ArgOrigin();
  };
  // Callers unseen (a callback) or none: unknown.
  auto Seen = [&](llvm::StringRef F) {
    return Idx.slotsOf(F).empty() && !Idx.callsTo(F).empty();
  };
  auto Deps = [&](const Node &X) {
    std::vector<Node> D;
    if (Seen(X.first))
      for (const CallEdge *E : Idx.callsTo(X.first)) {
        ArgOrigin A = ArgOf(E, X.second);
        if (E->Caller != X.first && A.ObjectKind.empty() &&
            A.K == ArgOrigin::Param && A.Index)
          D.emplace_back(E->Caller, A.Index);
      }
    return D;
  };
  auto Eval = [&](const Node &X, auto Get) -> std::optional<Kinds> {
    if (!Seen(X.first))
      return Kinds{llvm::StringRef()};
    Kinds Out;
    bool Any = false;
    for (const CallEdge *E : Idx.callsTo(X.first)) {
      if (E->Caller == X.first)
        continue;
      ArgOrigin A = ArgOf(E, X.second);
      if (!A.ObjectKind.empty()) {
        Out.push_back(A.ObjectKind);
      } else if (A.K == ArgOrigin::Param && A.Index) {
        const Kinds *K = Get(Node(E->Caller, A.Index));
        if (!K)
          continue; // nothing known yet (a caller in the same cycle)
        llvm::append_range(Out, *K);
      } else {
        Out.emplace_back();
      }
      Any = true;
    }
    if (!Any)
      return std::nullopt;
    llvm::sort(Out);
    Out.erase(std::unique(Out.begin(), Out.end()), Out.end());
    return Out;
  };
  return Memo->ParamKinds.get(Node(Function, N), Deps, Eval);
}

std::vector<llvm::StringRef> Analyzer::kindsOf(const Access &A) {
  if (!A.ObjectKind.empty() || A.From.Kind != OriginKind::Param ||
      !A.From.Param)
    return {A.ObjectKind};
  // Nothing more than the field's own struct is known here, and the object
  // is a parameter's: the callers' kinds, those that end in that struct.
  llvm::StringRef Own = A.Field.rsplit("::").first;
  std::vector<llvm::StringRef> Out;
  for (llvm::StringRef K : paramKinds(A.Function, A.From.Param)) {
    llvm::StringRef Last = K.rsplit('>').second;
    Out.push_back(!K.empty() && (Last.empty() ? K : Last) == Own
                      ? K
                      : llvm::StringRef());
  }
  llvm::sort(Out);
  Out.erase(std::unique(Out.begin(), Out.end()), Out.end());
  return Out;
}

bool Analyzer::peerModules(const FieldView &V, llvm::StringRef FnA,
                           llvm::StringRef FnB) {
  llvm::StringRef MA = Idx.moduleOf(FnA), MB = Idx.moduleOf(FnB);
  if (MA.empty() || MB.empty() || MA == MB)
    return false;
  if (!Memo->ModuleDeps) {
    auto &Deps = Memo->ModuleDeps.emplace();
    // The modules a call of Key reaches: its own, or through an inline
    // wrapper of a header those its callees reach, a few calls deep.
    // Built-in code, the other functions of no module, cannot call a
    // module: nothing to follow there.
    auto InHeader = [&](llvm::StringRef Key) {
      const Function *F = Idx.function(Key);
      return F && isHeader(F->File);
    };
    std::function<void(llvm::StringRef, unsigned,
                       llvm::DenseSet<llvm::StringRef> &)>
        Reach = [&](llvm::StringRef Key, unsigned Depth,
                    llvm::DenseSet<llvm::StringRef> &Into) {
          if (llvm::StringRef M = Idx.moduleOf(Key); !M.empty()) {
            Into.insert(M);
            return;
          }
          if (Depth < 3 && InHeader(Key))
            for (const CallEdge *E : Idx.callsFrom(Key))
              if (E->Callee != Key)
                Reach(E->Callee, Depth + 1, Into);
        };
    for (const FileFacts *File : Idx.files())
      for (const CallEdge &E : File->Calls) {
        llvm::StringRef From = Idx.moduleOf(E.Caller);
        if (From.empty())
          continue;
        llvm::DenseSet<llvm::StringRef> &D = Deps[From];
        Reach(E.Callee, 0, D);
        D.erase(From);
      }
  }
  // Linked: one calls the other, or both call a third that accesses the
  // field itself, handing them its objects (sd and a SCSI host driver
  // share scsi_mod's devices; a MAC and a PHY driver libphy's).  A helper
  // module that never touches the field (mii for 3c59x and sis900's
  // net_device::if_port) hands over nothing.
  const auto &Deps = *Memo->ModuleDeps;
  auto DA = Deps.find(MA), DB = Deps.find(MB);
  static const llvm::DenseSet<llvm::StringRef> None;
  const auto &A = DA == Deps.end() ? None : DA->second;
  const auto &B = DB == Deps.end() ? None : DB->second;
  if (A.contains(MB) || B.contains(MA))
    return false;
  return llvm::none_of(A, [&](llvm::StringRef M) {
    return B.contains(M) && V.Modules.contains(M);
  });
}

KindRelation Analyzer::kindRelation(const FieldView &V, const Access &A,
                                    const Access &B, bool Peers) {
  // Two loadable modules that never call each other (3c59x and 3c589_cs)
  // each work on the objects they were given for themselves: one
  // driver's net_device is not the other's, whatever the struct.
  // Built-in code, headers, modules that call each other (nfsv4 and
  // lockd) and modules over a common one that accesses the field share
  // objects.
  if (Peers && peerModules(V, A.Function, B.Function))
    return KindRelation::Different;
  // What a `void *` field points to is whatever the code that sets it
  // makes it (seq_file::private holds psi's trigger for /proc/pressure and
  // nothing of input's /proc/bus/input): an access from another directory
  // is to another owner's objects.
  if ((A.has(AF_OpaqueField) || B.has(AF_OpaqueField)) &&
      llvm::sys::path::parent_path(A.File) !=
          llvm::sys::path::parent_path(B.File))
    return KindRelation::Different;
  // Two members of one type are two objects: bcachefs's c->replicas and
  // c->replicas_gc, xe's sched_props and its read-only defaults.
  if (distinctMembers(A, B))
    return KindRelation::Different;
  if (!V.Shared)
    return KindRelation::Same;
  const std::vector<llvm::StringRef> &KA = V.Kinds.find(&A)->second;
  const std::vector<llvm::StringRef> &KB = V.Kinds.find(&B)->second;
  bool Unknown = false;
  for (llvm::StringRef X : KA)
    for (llvm::StringRef Y : KB) {
      if (X.empty() || Y.empty()) {
        Unknown = true;
        continue;
      }
      if (compatibleKinds(X, Y))
        return KindRelation::Same;
    }
  return Unknown ? KindRelation::Unknown : KindRelation::Different;
}

} // namespace kmark
