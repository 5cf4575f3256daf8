//===- Publication.cpp - Init code and objects not yet published ----------===//

#include "RulesImpl.h"

namespace kmark {

bool Analyzer::isInitFunction(llvm::StringRef Key) {
  // Init itself: by its attribute, its name in the model, or the ops slot
  // it fills.
  auto Direct = [&](llvm::StringRef F) {
    const Function *Fn = Idx.function(F);
    if (Fn && (Fn->Flags & (FF_Init | FF_Exit)))
      return true;
    if (Model.InitFunctions.contains(displayName(F)))
      return true;
    return llvm::any_of(Idx.slotsOf(F), [&](const SlotFill *S) {
      return S->Static &&
             Model.InitSlots.contains((S->OpsType + "." + S->Slot).str());
    });
  };
  // Else called only from init functions (and called at all).
  auto Deps = [&](const llvm::StringRef &F) {
    std::vector<llvm::StringRef> D;
    if (!Direct(F))
      for (llvm::StringRef C : Idx.callersOf(F))
        if (C != F)
          D.push_back(C);
    return D;
  };
  auto Eval = [&](const llvm::StringRef &F, auto Get) -> std::optional<bool> {
    if (Direct(F))
      return true;
    // Init when every caller is, and one at least says so: a cycle of
    // calls that nothing init enters is not init.
    bool Grounded = false, Any = false;
    for (llvm::StringRef C : Idx.callersOf(F)) {
      if (C == F)
        continue;
      Any = true;
      const bool *V = Get(C);
      if (V && !*V)
        return false;
      Grounded |= V != nullptr;
    }
    if (!Any)
      return false;
    return Grounded ? std::optional<bool>(true) : std::nullopt;
  };
  return Memo->Init.get(Key, Deps, Eval);
}

llvm::StringRef Analyzer::exemption(const Access &A) {
  if (A.has(AF_MacroBody))
    return "spelled in a macro body";
  if (isFresh(A))
    return "the object is not yet published";
  if (A.has(AF_BeforePublication) || publishedLater(A))
    return PublishedLaterReason;
  if (A.has(AF_TornDown))
    return "the object is out of its readers' reach (teardown)";
  if (A.has(AF_DataRacyField))
    return "the field is __data_racy";
  if (A.has(AF_RcuProtected))
    return "inside rcu_dereference_protected()";
  if (isInitFunction(A.Function))
    return "in an init function";
  return "";
}

bool Analyzer::isFresh(const Access &A) {
  if (A.From.unpublished())
    return true;
  return A.From.Kind == OriginKind::Param && A.From.Param &&
         freshParam(A.Function, A.From.Param);
}

bool Analyzer::freshParam(llvm::StringRef Key, unsigned N) {
  using Node = std::pair<llvm::StringRef, unsigned>;
  // What the caller passes as argument N of this edge.
  auto ArgOf = [](const CallEdge *E, unsigned N) {
    return N <= E->Args.size() ? E->Args[N - 1] : ArgOrigin();
  };
  auto Deps = [&](const Node &X) {
    std::vector<Node> D;
    for (const CallEdge *E : Idx.callsTo(X.first)) {
      ArgOrigin A = ArgOf(E, X.second);
      if (E->Caller != X.first && A.K == ArgOrigin::Param)
        D.emplace_back(E->Caller, A.Index);
    }
    return D;
  };
  auto Eval = [&](const Node &X, auto Get) -> std::optional<bool> {
    // A callback's callers are not in the call graph.
    llvm::ArrayRef<const CallEdge *> Calls = Idx.callsTo(X.first);
    if (!Idx.function(X.first) || !Idx.slotsOf(X.first).empty() ||
        Calls.empty())
      return false;
    bool Grounded = false;
    for (const CallEdge *E : Calls) {
      if (E->Caller == X.first)
        continue; // recursion passes on what the outer call got
      ArgOrigin A = ArgOf(E, X.second);
      if (A.K == ArgOrigin::Fresh) {
        Grounded = true;
        continue;
      }
      if (A.K != ArgOrigin::Param || !A.Index)
        return false;
      const bool *V = Get(Node(E->Caller, A.Index));
      if (V && !*V)
        return false;
      Grounded |= V != nullptr;
    }
    return Grounded ? std::optional<bool>(true) : std::nullopt;
  };
  return Memo->FreshParam.get(Node(Key, N), Deps, Eval);
}

const PublishCall *Analyzer::publisherAfter(const Access &A) {
  // The first call after the access that publishes what it is given,
  // unless one before it may already have.
  const PublishCall *First = nullptr;
  for (const PublishCall &C : A.Publication) {
    if (!C.primitive() && !(C.Arg && publishesParam(C.Callee, C.Arg)))
      continue;
    if (C.Before)
      return nullptr;
    if (!First)
      First = &C;
  }
  return First;
}

bool Analyzer::publishedLater(const Access &A) {
  return publisherAfter(A) != nullptr;
}

bool Analyzer::publishesParam(llvm::StringRef Key, unsigned N) {
  using Node = std::pair<llvm::StringRef, unsigned>;
  auto Primitive = [&](const Node &X) {
    llvm::StringRef Name = displayName(X.first);
    auto It = Model.Publish.find(Name);
    return Model.Register.contains(Name) && It != Model.Publish.end() &&
           It->second + 1 == X.second;
  };
  // What the model says of the function otherwise: a lock, teardown or
  // republish primitive (list_move() is list_del() and list_add() on an
  // object already linked), or another argument of a publish primitive
  // (list_add()'s head), publishes nothing of its own.
  auto Known = [&](const Node &X) {
    llvm::StringRef Name = displayName(X.first);
    return Model.Publish.contains(Name) || Model.LockFunctions.contains(Name) ||
           Model.isTeardown(Name);
  };
  // The calls that pass the parameter on: (callee, its argument).
  auto Deps = [&](const Node &X) {
    std::vector<Node> D;
    if (Known(X))
      return D;
    for (const CallEdge *E : Idx.callsFrom(X.first))
      for (unsigned I = 0; I < E->Args.size(); ++I)
        if (E->Args[I].K == ArgOrigin::Param && E->Args[I].Index == X.second &&
            E->Callee != X.first)
          D.emplace_back(E->Callee, I + 1);
    return D;
  };
  // May publish: one call that does is enough.
  auto Eval = [&](const Node &X, auto Get) -> std::optional<bool> {
    if (Known(X))
      return Primitive(X);
    bool Open = false;
    for (const Node &D : Deps(X)) {
      const bool *V = Get(D);
      if (V && *V)
        return true;
      Open |= V == nullptr;
    }
    return Open ? std::nullopt : std::optional<bool>(false);
  };
  return Memo->Publishes.get(Node(Key, N), Deps, Eval);
}

} // namespace kmark
