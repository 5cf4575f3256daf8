//===- RulesImpl.h - What the rules' files share --------------------------===//
//
// The rules are one class, Analyzer, whose work is split by concern:
// Locks.cpp (which locks are held, the callers' included), Publication.cpp
// (init code, objects not yet published), Evidence.cpp (what says a field
// is accessed locklessly, peers in an ops slot), Checks.cpp (a finding and
// its confidence from that evidence, the weights in Weights.h), Rules.cpp
// (one field at a time, fix-its), Edits.cpp (the text edits).
//
//===----------------------------------------------------------------------===//

#ifndef KMARK_LIB_RULES_RULESIMPL_H
#define KMARK_LIB_RULES_RULESIMPL_H

#include "Fixpoint.h"

#include "kmark/Model.h"
#include "kmark/Rules.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"

#include <string>
#include <vector>

namespace kmark {

inline bool isMarkedLoad(const Access &A) {
  return A.Kind == AccessKind::Load &&
         (A.Mark == Marking::ReadOnce || A.Mark == Marking::LoadAcquire ||
          A.Mark == Marking::VolatileCast || A.Mark == Marking::Atomic);
}

inline bool isMarkedStore(const Access &A) {
  return A.Kind != AccessKind::Load &&
         (A.Mark == Marking::WriteOnce || A.Mark == Marking::StoreRelease ||
          A.Mark == Marking::VolatileCast || A.Mark == Marking::Atomic);
}

inline bool isHeader(llvm::StringRef Path) { return !Path.ends_with(".c"); }

/// The locks held at an access, as far as the index can name them.
struct Analyzer::HeldLocks {
  std::vector<LockFact> Named; ///< one per class, on entry included, sorted
  bool Any = false;     ///< some lock is held, named or not
  bool Unknown = false; ///< one held is known only by pointer
};

/// Whether two accesses can run at once as far as their locks tell: not
/// when both hold a lock of one class and one of them holds it
/// exclusively, nor when one holds a lock the index cannot name (it may be
/// the other's).  Two holders of a read lock run at once.
bool mayRace(const Analyzer::HeldLocks &A, const Analyzer::HeldLocks &B);
/// The class names of a lock list, for messages.
std::string lockNames(llvm::ArrayRef<LockFact> L);

struct Analyzer::FieldView {
  llvm::StringRef Field; ///< the key
  llvm::StringRef Name;  ///< as messages name it (fieldName())
  /// The stores that can run concurrently with a reader (stores before
  /// publication aside), with their locks.  A read that shares a lock
  /// class with each of them races with none.
  std::vector<std::pair<const Access *, HeldLocks>> Stores;
  /// Whether the index holds any store of the field, set-up included.
  bool AnyStore = false;
  /// The locks of every access of the field.
  llvm::DenseMap<const Access *, HeldLocks> Held;
  std::vector<const Access *> MarkedLoads, LocklessMarkedLoads, MarkedStores;
  llvm::StringMap<const Access *> MarkedLoadIn, MarkedStoreIn;
  /// The functions with a plain load (store) of the field, exemptions
  /// aside.
  llvm::StringSet<> PlainLoadIn, PlainStoreIn;
  unsigned PlainLoads = 0, PlainStores = 0;
  /// The marked accesses as written: a helper's made at several calls
  /// counts once (the shares and the fast-path test count markings).
  unsigned MarkedLoadSites = 0, MarkedStoreSites = 0;
  llvm::StringRef Skip; ///< why the whole field is left alone
  /// The kinds of object each access may touch (Kinds.cpp), and whether
  /// the field's struct is seen as part of other structs at all: if not,
  /// every access is of one kind.
  llvm::DenseMap<const Access *, std::vector<llvm::StringRef>> Kinds;
  bool Shared = false;
  /// The loadable modules with an access of the field.
  llvm::DenseSet<llvm::StringRef> Modules;
};

/// How the objects two accesses of a field touch relate.
enum class KindRelation {
  Same,      ///< may be the same kind of object (or the struct is not shared)
  Unknown,   ///< one of them is of no known kind
  Different, ///< different kinds: neither's evidence holds for the other
};

struct Analyzer::Memos {
  Fixpoint<llvm::StringRef, bool> Init{false};
  Fixpoint<std::pair<llvm::StringRef, unsigned>, bool> FreshParam{false};
  Fixpoint<std::pair<llvm::StringRef, unsigned>, bool> Publishes{false};
  Fixpoint<llvm::StringRef, std::vector<LockFact>> Entry{{}};
  /// The thread function each function runs under ("" for none).
  Fixpoint<llvm::StringRef, llvm::StringRef> Thread{llvm::StringRef()};
  /// The kinds every caller passes as a parameter; "" stands for unknown.
  Fixpoint<std::pair<llvm::StringRef, unsigned>, std::vector<llvm::StringRef>>
      ParamKinds{{llvm::StringRef()}};
  /// The loadable modules each module calls, directly or through
  /// functions of no module (header inlines); built on first use.
  std::optional<llvm::StringMap<llvm::DenseSet<llvm::StringRef>>> ModuleDeps;
};

/// Whether two kind chains may be one kind: one is the other seen from
/// further out ("inet_sock>sock" and "tcp_sock>inet_connection_sock>
/// inet_sock>sock").
bool compatibleKinds(llvm::StringRef A, llvm::StringRef B);

/// Evidence at an access's place.
Evidence evidenceAt(Evidence::Kind K, int Weight, const Access &A,
                    std::string Note);
/// An access's text, or the field's key when it has none.
llvm::StringRef textOr(const Access &A, llvm::StringRef Field);
/// Sites a message may not name: the flagged access's own function's.
using SiteFilter = llvm::function_ref<bool(const Access &)>;
/// The site among Sites to name in a message: one in File first, then the
/// first in path order; never one NotIn excludes.
const Access *pick(llvm::ArrayRef<const Access *> Sites, llvm::StringRef File,
                   SiteFilter NotIn);
/// Whether two accesses of a field may be of the same object.
bool sameObject(const Access &A, const Access &B);
/// Whether two accesses reach the field through different members of
/// their object (Access::Members: c->replicas.nr and c->replicas_gc.nr),
/// neither inside the other: two objects, whatever the pointer before.
bool distinctMembers(const Access &A, const Access &B);

} // namespace kmark

#endif // KMARK_LIB_RULES_RULESIMPL_H
