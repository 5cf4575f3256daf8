//===- Weights.h - What each piece of evidence adds to a confidence -------===//
//
// Every weight the rules add up, in one table.  A finding's confidence is
// the sum of its evidence, clamped to 0-100; 50 and up is the default
// (medium) tier, 70 and up high.  docs/evaluation.md gives the triages and
// the history each weight was checked against; the check pages in
// docs/clang-tidy/checks/kmark/ say the same in words.
//
//===----------------------------------------------------------------------===//

#ifndef KMARK_LIB_RULES_WEIGHTS_H
#define KMARK_LIB_RULES_WEIGHTS_H

namespace kmark::weights {

// Marking elsewhere: the function itself, or a peer in its ops slot.
/// This function marks another access of the field, of the same object.
constexpr int SameFunction = 40;
/// ... a marked read of the same object earlier in the function that this
/// plain read relies on: an acquire, or a pre-check before a lock the read
/// holds (3 real of 12 such load findings triaged, docs/evaluation.md).
constexpr int SameFunctionAfterCheck = 10;
/// ... of another object, each reached through its own variable.
constexpr int SameFunctionOtherObject = 20;
/// ... an accessor the function calls marks it (i_size_read(inode)).
constexpr int SameFunctionThroughHelper = 20;
/// A peer stored in the same ops slot marks it.
constexpr int Peer = 40;
/// ... only through a shared inline helper (i_size_read()).
constexpr int PeerThroughHelper = 20;
/// A peer's marking where fewer than a third of the slot's other fillers
/// that access the field mark it.
constexpr int PeerMinority = 20;

// The access that races is an atomic operation (set_bit(), test_bit(),
// xchg()): it marks the atomicity of a read-modify-write, not that the
// field is accessed locklessly beside plain accesses.  At full weight, 25
// of 40 new default-tier sites that rested on one were real on the
// development and ninth-to-eleventh directories
// (docs/triage/2026-12-06-atomic-ops.md): not the default tier's
// precision.
/// A writer's: it weighs as a marked lockless reader alone does (15).
constexpr int AtomicWriter = -10;
/// A lockless reader's (test_bit()).
constexpr int AtomicReader = -25;

// kmark-missing-read-once.
/// A marked store the read races with.
constexpr int MarkedWriter = 25;
/// ... on an object of no known kind, where the field's struct is shared
/// by several kinds of object.
constexpr int MarkedWriterUnknownKind = 15;
/// No marked store of this kind of object, but a plain one that races,
/// where other accesses of the field are marked.
constexpr int PlainWriterSameKind = 15;
/// A sysctl's handler, which writes the field with WRITE_ONCE() through
/// ctl_table.data (a standard handler, or one that calls it).
constexpr int SysctlWriter = 20;
/// ... a handler kmark does not know to mark its write.
constexpr int SysctlUnknownHandler = 10;
/// A read that races with a sysctl handler that marks its write: the
/// handler runs whenever the file is written, under no lock the read holds.
constexpr int SysctlRace = 30;
/// No store to name, but a marked lockless reader.
constexpr int MarkedReaderOnly = 15;
/// The most a read gets whose only evidence is its own function's
/// READ_ONCE() where the index holds no store of the field at all (its
/// writer elsewhere, or the device): the low tier.
constexpr int NoStoreIndexedCap = 35;
/// The function fills a slot that runs without the writers' lock.
constexpr int LocklessSlot = 25;
/// No lock is visibly held (weak: a caller may hold one).
constexpr int NoVisibleLock = 10;
/// Up to this much for the share of the field's reads already marked.
constexpr int MarkedReadShare = 10;
/// A lock is held at the read (one the writers do not all hold).
constexpr int LockHeldAtRead = -25;
/// No other function's marked store races, and this function marks its
/// own store of the object (WRITE_ONCE(), a release): the writer's own read.
constexpr int OwnerRead = -30;
/// ManyPlain plain reads, at most FewMarked marked accesses: a local fast
/// path's marking, not the field's rule.
constexpr int LocalFastPath = -15;

// kmark-missing-write-once.
/// A marked lockless reader.
constexpr int LocklessReader = 30;
/// ... of an object of no known kind (the field's struct is shared).
constexpr int LocklessReaderUnknownKind = 15;
/// A plain lockless reader of the same kind of object (itself a
/// finding), where the field is read with READ_ONCE() on other kinds.
constexpr int PlainReaderSameKind = 30;
/// The field is read with READ_ONCE() elsewhere, on other kinds of object:
/// the convention, not a race with this store.
constexpr int MarkedOnOtherKinds = 20;
/// ... of the same file, holding no lock while this store holds one
/// (access-marking.txt's lock-protected writes with lockless reads).
constexpr int GuardedReader = 50;
/// ... the same, where one of the two objects is of no known kind: the
/// same file makes it likely the same kind.
constexpr int GuardedReaderUnknownKind = 40;
/// ... where every lock the store holds is a member of a struct unrelated
/// to the written object's (a device's configuration mutex held while a
/// ring handed in is reset): not shown to be the field's lock, the store
/// is as likely a step of a life-cycle change its readers are kept out of
/// in ways the index does not see.
constexpr int OtherObjectLock = -20;
/// ... where the best lock it holds is a member of a struct whose list or
/// tree links the written object (list_add(&obj->node, &q->head)): the
/// lock guards the links, and the objects' fields where the code makes it
/// (a queue's lock over its messages' state), not always (a node's slab
/// lists and the frozen slabs off them): between the two.
constexpr int ListLock = -10;
/// The only racing reader runs in the store's own kernel thread (a
/// kthread function and what only it reaches): one at a time, unless a
/// pool of threads runs the function.
constexpr int SameThread = -30;
/// The reader is in the store's file.
constexpr int ReaderInSameFile = 10;
/// A store that holds no lock, with a marked reader that nothing excludes
/// as all its evidence: no marking in its function or a peer, no second
/// reader.  On the development directories such stores at the default
/// tier were 0 of 8 real: setup of a fresh object, boot-time and
/// hotplug-prepare code, an open callback (docs/evaluation.md).
constexpr int UnlockedReaderOnly = -10;
/// A plain lockless reader in the same file, itself a finding.
constexpr int PlainReaderNearby = 30;
/// Up to this much for the share of the field's stores already marked.
constexpr int MarkedStoreShare = 15;
/// ManyPlain plain stores: a pattern the subsystem lives with.
constexpr int ManyPlainStores = -10;
/// The function is named as an initialiser (init_*, *_init).
constexpr int InitialiserName = -20;

// Counts the weights above depend on.
/// Plain accesses of a field that make "many".
constexpr unsigned ManyPlain = 10;
/// Marked accesses of a field that make "few".
constexpr unsigned FewMarked = 2;

} // namespace kmark::weights

#endif // KMARK_LIB_RULES_WEIGHTS_H
