//===- Fixpoint.h - Facts about callers, one SCC at a time ----------------===//
//
// Several rules ask what every caller of a function says: the locks they
// all hold, whether they are all init code, whether they all pass a new
// object.  Answered by recursion with a memo, the answer inside a cycle of
// calls depends on which function was asked first, so the editor (one TU's
// questions) and the driver (the tree's) could disagree.  Here each
// strongly connected component of the dependency graph is solved on its own,
// dependencies first, as a greatest fixpoint from "no constraint": every
// value depends on the graph alone.
//
//===----------------------------------------------------------------------===//

#ifndef KMARK_LIB_INDEX_FIXPOINT_H
#define KMARK_LIB_INDEX_FIXPOINT_H

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

namespace kmark {

/// Values over a graph of Keys.  Deps(K) lists what K's value depends on;
/// Eval(K, Get) computes it (nullopt: nothing constrains it yet), where
/// Get(D) is D's value or null for "no constraint yet" (a member of K's own
/// component still being solved).  A value still unconstrained once its
/// component settles becomes Bottom.
template <typename Key, typename Value> class Fixpoint {
public:
  using GetFn = llvm::function_ref<const Value *(const Key &)>;
  using DepsFn = llvm::function_ref<std::vector<Key>(const Key &)>;
  using EvalFn = llvm::function_ref<std::optional<Value>(const Key &, GetFn)>;

  explicit Fixpoint(Value Bottom) : Bottom(std::move(Bottom)) {}

  const Value &get(const Key &K, DepsFn Deps, EvalFn Eval) {
    auto It = Done.find(K);
    if (It == Done.end()) {
      Counter = 0;
      visit(K, Deps, Eval, 0);
      It = Done.find(K);
    }
    return It->second;

  }

private:
  struct Node {
    unsigned Index = 0, Low = 0;
    bool OnStack = false;
    std::optional<Value> Current;
  };

  void visit(const Key &K, DepsFn Deps, EvalFn Eval, unsigned Depth) {
    {
      Node &N = Nodes[K];
      N.Index = N.Low = Counter++;
      N.OnStack = true;
    }
    Stack.push_back(K);
    std::vector<Key> Ds = Deps(K);
    for (const Key &D : Ds) {
      if (Done.count(D))
        continue;
      auto It = Nodes.find(D);
      if (It == Nodes.end()) {
        if (Depth > 4096)
          continue; // beyond this, D is solved on its own later
        visit(D, Deps, Eval, Depth + 1);
        Nodes[K].Low = std::min(Nodes[K].Low, Nodes[D].Low);
      } else if (It->second.OnStack) {
        Nodes[K].Low = std::min(Nodes[K].Low, It->second.Index);
      }
    }
    if (Nodes[K].Low != Nodes[K].Index)
      return;
    std::vector<Key> SCC;
    while (true) {
      Key M = Stack.back();
      Stack.pop_back();
      Nodes[M].OnStack = false;
      SCC.push_back(M);
      if (M == K)
        break;
    }
    std::sort(SCC.begin(), SCC.end());
    auto Get = [&](const Key &D) -> const Value * {
      auto F = Done.find(D);
      if (F != Done.end())
        return &F->second;
      auto N = Nodes.find(D);
      if (N == Nodes.end() || !N->second.Current)
        return nullptr;
      return &*N->second.Current;
    };
    // Values only shrink from "no constraint": a few rounds settle them.
    bool Settled = false;
    for (unsigned Round = 0; Round < 64 && !Settled; ++Round) {
      Settled = true;
      for (const Key &M : SCC) {
        std::optional<Value> V = Eval(M, Get);
        if (V != Nodes[M].Current) {
          Nodes[M].Current = std::move(V);
          Settled = false;
        }
      }
    }
    for (const Key &M : SCC) {
      std::optional<Value> &V = Nodes[M].Current;
      Done[M] = V && Settled ? std::move(*V) : Bottom;
      Nodes.erase(M);
    }
  }

  Value Bottom;
  std::map<Key, Value> Done; ///< stable: get() returns references
  llvm::DenseMap<Key, Node> Nodes;
  std::vector<Key> Stack;
  unsigned Counter = 0;
};

} // namespace kmark

#endif // KMARK_LIB_INDEX_FIXPOINT_H
