//===- Index.h - Shards merged into one tree-wide index, and its queries --===//
//
// A tree's index is the union of its TUs' shards with every file counted
// once: a header that a thousand TUs include contributes its facts once.
// Merging reads shards only (no parsing) and gives the same index whatever
// order the shards come in.  The Index class answers the questions the rules
// ask: all accesses of a field, the functions filling an ops slot, callers.
//
//===----------------------------------------------------------------------===//

#ifndef KMARK_INDEX_H
#define KMARK_INDEX_H

#include "kmark/Facts.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Allocator.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/StringSaver.h"

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace kmark {

/// Builds a merged FactSet from shards, in any order, with the same result.
class Merger {
public:
  /// Adds one TU's shard.  Files already present with the same path and
  /// contents are kept once (the union of what each TU saw of them); when
  /// two TUs disagree on a file's contents, the version that matches the
  /// file on disk wins (else the larger digest).
  void add(const FactSet &Shard);

  /// The merged facts: files sorted by path, TUs by main file.
  /// DiskDigest(path) returns the digest of the file as it is now, or 0.
  std::unique_ptr<FactSet>
  finish(const std::function<uint64_t(llvm::StringRef)> &DiskDigest = {});

  size_t numShards() const { return Shards; }

private:
  void unite(FileFacts &Into, const FileFacts &From);

  struct Version {
    uint64_t Digest;
    size_t Facts; ///< index into Out->Files
  };
  std::unique_ptr<FactSet> Out = std::make_unique<FactSet>();
  llvm::StringMap<std::vector<Version>> ByPath;
  llvm::StringMap<TUEntry> TUs;
  size_t Shards = 0;
};

/// Digest of a file's contents as kmark records it (0 if unreadable).
uint64_t fileDigest(llvm::StringRef Path);

struct MergeStats {
  size_t Shards = 0;       ///< TU shards merged
  size_t HeaderShards = 0; ///< header shards read (each once)
  /// Shards that could not be read or header facts that are missing, each
  /// one line; the rest is merged.
  std::vector<std::string> Problems;
};

/// Reads TU shard files (and the header shards they refer to, in the
/// "headers" folder beside each) and merges them.  Root resolves the
/// index's relative paths for DiskDigest-based tie breaks.
std::unique_ptr<FactSet> mergeShardFiles(std::vector<std::string> Files,
                                         llvm::StringRef Root,
                                         MergeStats &Stats);

/// Read-only lookup over one or more fact sets.  Later layers replace the
/// files of earlier ones with the same path: an editor overlays the fresh
/// facts of its TU on the tree's index this way.
class Index {
public:
  explicit Index(llvm::ArrayRef<const FactSet *> Layers);

  llvm::ArrayRef<const Access *> accessesOf(llvm::StringRef Field) const;
  const Function *function(llvm::StringRef Key) const;
  /// The loadable module that defines the function; empty for built-in
  /// code, headers, and a name defined in several modules.
  llvm::StringRef moduleOf(llvm::StringRef Key) const;
  /// Slots the function is stored in.
  llvm::ArrayRef<const SlotFill *> slotsOf(llvm::StringRef Function) const;
  /// Functions stored in the slot "OpsType.Slot".
  llvm::ArrayRef<const SlotFill *> fillersOf(llvm::StringRef OpsType,
                                             llvm::StringRef Slot) const;
  llvm::ArrayRef<llvm::StringRef> callersOf(llvm::StringRef Function) const;
  llvm::ArrayRef<llvm::StringRef> calleesOf(llvm::StringRef Function) const;
  /// The call edges into the function, with the locks held at the calls.
  llvm::ArrayRef<const CallEdge *> callsTo(llvm::StringRef Function) const;
  /// The call edges out of the function.
  llvm::ArrayRef<const CallEdge *> callsFrom(llvm::StringRef Function) const;
  /// The sysctl entry a synthesised access stands for: its handler's
  /// write through ctl_table.data (null for an access of the facts).
  const SysctlEntry *sysctlOf(const Access *A) const {
    return SysctlOf.lookup(A);
  }
  /// The helper a synthesised access is made through: the call that passes
  /// the field's address to a function that marks its parameter (null for
  /// an access of the facts).
  const FieldArg *helperCallOf(const Access *A) const {
    return HelperCallOf.lookup(A);
  }
  /// The helper's access an instantiated access is made from, at a call
  /// that passes an embedded struct (null for others).
  const Access *instanceOf(const Access *A) const {
    return InstanceOf.lookup(A);
  }
  /// A helper's access that its instances, one per call, stand for: the
  /// rules leave it out (it stays for lookups by place).
  bool instantiated(const Access *A) const { return Instantiated.contains(A); }
  /// Whether struct Outer is Inner or holds it, directly or through the
  /// structs it holds (record names, as Embedding has them): by value, or
  /// through at most Pointers pointer members on the way, and through
  /// the lists and trees that link objects when Links is set.
  bool holds(llvm::StringRef Outer, llvm::StringRef Inner,
             unsigned Pointers = 0, bool Links = false) const;
  /// Whether a global variable is a struct S or holds one by value.
  bool inGlobal(llvm::StringRef S) const { return InGlobals.contains(S); }
  /// The calls through the slot "OpsType.Slot", with their locks.
  llvm::ArrayRef<const SlotCall *> slotCalls(llvm::StringRef OpsType,
                                             llvm::StringRef Slot) const;

  /// Calls Fn on every access, synthesised ones included.
  template <typename Callback> void forEachAccess(Callback Fn) const {
    for (const auto &E : ByField)
      for (const Access *A : E.second)
        Fn(*A);
  }

  /// Every file of every layer that survived the overlay.
  llvm::ArrayRef<const FileFacts *> files() const { return Files; }
  llvm::ArrayRef<const TUEntry *> tus() const { return TUList; }
  size_t numAccesses() const { return NumAccesses; }

private:
  std::vector<const FileFacts *> Files;
  std::vector<const TUEntry *> TUList;
  llvm::StringMap<std::vector<const Access *>> ByField;
  llvm::StringMap<const Function *> Functions;
  llvm::StringMap<llvm::StringRef> Modules;
  llvm::StringMap<std::vector<const SlotFill *>> SlotsByFunction;
  llvm::StringMap<std::vector<const SlotFill *>> FillersBySlot;
  llvm::StringMap<std::vector<llvm::StringRef>> Callers, Callees;
  llvm::StringMap<std::vector<const CallEdge *>> CallsTo, CallsFrom;
  llvm::StringMap<std::vector<const SlotCall *>> SlotCallsTo;
  /// Accesses that no source line spells, made from other facts (a sysctl
  /// handler's write); a deque keeps their addresses.
  std::deque<Access> Synthetic;
  llvm::DenseMap<const Access *, const SysctlEntry *> SysctlOf;
  struct Held {
    llvm::StringRef Inner;
    bool Pointer, Link;
  };
  llvm::StringMap<std::vector<Held>> Holds;
  llvm::StringSet<> InGlobals;
  llvm::DenseMap<const Access *, const FieldArg *> HelperCallOf;
  llvm::DenseMap<const Access *, const Access *> InstanceOf;
  llvm::DenseSet<const Access *> Instantiated;
  /// The lock lists and texts of instantiated accesses.
  std::deque<std::vector<LockFact>> SyntheticLocks;
  llvm::BumpPtrAllocator Alloc;
  llvm::StringSaver Saved{Alloc};
  void synthesizeHelperAccesses();
  void instantiateEmbeddedAccesses();
  size_t NumAccesses = 0;
};

} // namespace kmark

#endif // KMARK_INDEX_H
