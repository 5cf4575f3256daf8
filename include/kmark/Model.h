//===- Model.h - What kmark knows of the kernel's API ---------------------===//
//
// The kernel's names that cannot be derived from the code kmark reads: the
// marking macros, the lock primitives and their modes, the allocators, the
// init attributes, the ops slots that run before publication or without the
// writers' lock.  Everything else (a subsystem's lock wrapper, a guard
// class, an allocator wrapper) is derived from the code.  The model is a
// YAML file installed beside the plugin (kmark-model.yaml); a tree extends
// or replaces it with the KernelModel options.  No clang here: the rules
// read it too.
//
//===----------------------------------------------------------------------===//

#ifndef KMARK_MODEL_H
#define KMARK_MODEL_H

#include "kmark/Facts.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/GlobPattern.h"

#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace kmark {

/// What a lock primitive does to the lock it names.
enum class LockOp : uint8_t {
  Acquire,
  Release,
  TryAcquire, ///< acquires on the branch its result decides
  Assert,     ///< says the lock is held (lockdep_assert_held())
};

/// A lock primitive: a function, or a macro whose expansion asserts.
struct LockPrimitive {
  LockOp Op = LockOp::Acquire;
  LockMode Mode = LockMode::Exclusive;
  /// The argument that designates the lock (or, with Member, the object
  /// that holds it); ignored when Class is set.
  unsigned Arg = 0;
  /// The lock is this member of the object the argument points to
  /// (lock_sock_nested(sk): sk->sk_lock).
  std::string Member;
  /// The lock has this fixed class and no argument (rtnl_lock()).
  std::string Class;
  /// TryAcquire: the lock is held when the call returns 0
  /// (mutex_lock_interruptible()); otherwise when it returns nonzero.
  bool SuccessIsZero = false;
};

struct KernelModel {
  /// Marking macros by name.
  llvm::StringMap<Marking> MarkingMacros;
  /// The functions that tell KCSAN an access through their first argument
  /// is atomic (instrument_atomic_read() and friends), by the kind of
  /// access.  A call of one on the address of a field, or on a pointer
  /// parameter (set_bit()'s addr), is a marked access (Marking::Atomic).
  llvm::StringMap<AccessKind> AtomicHooks;
  /// rcu_dereference_protected() & co.: deliberately plain, under a lock.
  llvm::StringSet<> RcuProtectedMacros;
  /// Spellings of the __data_racy qualifier (it expands to nothing).
  llvm::StringSet<> DataRacyMacros;

  /// Lock primitives by function name.
  llvm::StringMap<LockPrimitive> LockFunctions;
  /// Macros that assert a lock is held; with an argument, the lock is the
  /// operand of the `(void)(lock)` their body expands to.
  llvm::StringMap<LockPrimitive> LockAssertMacros;
  /// With lockdep, an assertion reads the lock's map through this member
  /// (lock_is_held(&l->dep_map)): its base is the lock.
  std::string LockDepMap;
  /// Annotation macros on declarations: __acquires(x), __releases(x),
  /// __must_hold(x).  They expand to nothing; kmark reads their argument.
  llvm::StringMap<LockOp> LockAnnotations;
  /// Types that are locks (spinlock_t, struct mutex): a lock inside one of
  /// these (spinlock_t's rlock) is the outer lock.
  llvm::StringSet<> LockTypes;
  /// Functions that return the lock they are given, or a part of it
  /// (spinlock_check()).
  llvm::StringSet<> LockPassThrough;

  /// Functions that return a new object no other CPU has seen.
  llvm::StringSet<> Allocators;
  /// Suffixes that name the same allocator (6.10's kmalloc_noprof()).
  std::vector<std::string> AllocatorSuffixes;
  /// Functions that return an error pointer, not an object (ERR_PTR()).
  llvm::StringSet<> ErrorPointers;
  /// An inode under construction: `inode->i_state & I_NEW` until one of
  /// PublishNewInode makes it visible.
  std::string NewInodeField, NewInodeFlag;
  llvm::StringSet<> PublishNewInode;

  /// Attribute macros of functions that run before what they set up is
  /// published (__init), or after it is gone (__exit), and the sections
  /// they put code in.
  llvm::StringSet<> InitAttributes, ExitAttributes;
  std::vector<std::string> InitSections;
  /// Functions that initialise or clone an object before it is published.
  llvm::StringSet<> InitFunctions;
  /// Names of functions that initialise by convention (init_*, *_init).
  std::vector<llvm::GlobPattern> InitialiserNames;
  /// The patterns as written.  A GlobPattern keeps a reference to its
  /// text: a deque does not move its elements as it grows or moves.
  std::deque<std::string> InitialiserNameSpellings;

  /// "OpsType.slot" entries whose functions run before what they set up is
  /// published, and those that run without the writers' lock.
  llvm::StringSet<> InitSlots, LocklessSlots;
  /// "call:F.N" entries whose callback runs as a kernel thread of its own:
  /// one thread per call, so what it alone reaches runs in that thread.
  llvm::StringSet<> ThreadSlots;

  /// Sysctl tables: the struct, its members, and the handlers that write
  /// through .data with WRITE_ONCE() (proc_dointvec() & co.).
  std::string SysctlTable, SysctlData, SysctlName, SysctlHandler;
  /// The entry's permission bits: an entry no one may write (0444) has no
  /// writer through its handler.
  std::string SysctlMode;
  llvm::StringSet<> SysctlMarkingHandlers;

  /// Publication: before one of Publish on every path to a return, and
  /// after none, the object the named argument points into (the first
  /// unless the entry says `name:N`, 0-based) is not yet where readers find
  /// it (list_add(&obj->node, head), xa_insert(xa, id, obj, gfp)).
  llvm::StringMap<unsigned> Publish;
  /// The publish calls that register an object, once in its life, where
  /// lookups find it (an xarray, an idr: it gets its id).  A function
  /// that passes its parameter to one of these, directly or through such
  /// functions, publishes it too (derived in the merge).  Lists are not
  /// registries: queue_work() and mod_timer() link an object that is
  /// live already.
  llvm::StringSet<> Register;
  /// Ordered stores of a pointer, by macro: `rcu_assign_pointer(slot,
  /// obj)`, `xchg(slot, obj)`.  The object the value argument (0-based)
  /// points to is published by the store, as by a list's link.
  llvm::StringMap<unsigned> PublishStores;

  /// Teardown, the mirror of init: after one of Unpublish on every path,
  /// the object its first argument points into is out of its readers'
  /// reach (list_del(&obj->node), del_timer_sync(&obj->timer)); after one
  /// of UnpublishRcu, once one of GracePeriod has passed too.  One of
  /// Republish puts it back (list_add(&obj->node, head)).
  llvm::StringSet<> Unpublish, UnpublishRcu, GracePeriod, Republish;

  /// Whether Name is an allocator, with or without a suffix.
  bool isAllocator(llvm::StringRef Name) const;
  /// Whether Name is an initialiser by convention.
  bool isInitialiserName(llvm::StringRef Name) const;
  /// Whether a type spelled Name (a typedef, or "struct x") is a lock.
  bool isLockType(llvm::StringRef Name) const { return LockTypes.contains(Name); }
  /// A teardown primitive: unpublish, unpublish_rcu, grace_period or
  /// republish.
  bool isTeardown(llvm::StringRef Name) const {
    return Unpublish.contains(Name) || UnpublishRcu.contains(Name) ||
           GracePeriod.contains(Name) || Republish.contains(Name);
  }
  /// Whether nothing is loaded.
  bool empty() const { return MarkingMacros.empty() && LockFunctions.empty(); }
};

/// Parses one model document and adds it to Into: lists are extended,
/// names already present are replaced.  Errors name the document and line.
llvm::Error parseModel(llvm::StringRef Yaml, llvm::StringRef Name,
                       KernelModel &Into);

/// Reads the model files in order, each extending the ones before.
llvm::Expected<KernelModel> loadModel(llvm::ArrayRef<std::string> Files);

/// File name of the default model, installed beside the plugin.
constexpr const char *DefaultModelFileName = "kmark-model.yaml";

/// The default model's path: beside the plugin at PluginPath.
std::string defaultModelPath(llvm::StringRef PluginPath);

} // namespace kmark

#endif // KMARK_MODEL_H
