//===- Rules.h - From facts to findings, with evidence and confidence -----===//
//
// The rules of access-marking.txt over the index: a plain store to a field
// that lockless readers read with READ_ONCE() wants WRITE_ONCE(); a plain
// load in a lockless context of a field written with WRITE_ONCE() wants
// READ_ONCE().  Each finding carries the evidence it rests on, a confidence
// computed from that evidence, and the fix-it as edits.  No clang here: the
// same findings feed clang-tidy diagnostics, the driver's reports and patches.
//
//===----------------------------------------------------------------------===//

#ifndef KMARK_RULES_H
#define KMARK_RULES_H

#include "kmark/Index.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <memory>
#include <string>
#include <vector>

namespace kmark {

enum class KindRelation;

enum class CheckKind : uint8_t {
  MissingWriteOnce, ///< kmark-missing-write-once
  MissingReadOnce,  ///< kmark-missing-read-once
};
llvm::StringRef checkName(CheckKind K);

/// One piece of evidence, shown as a note at its own location.
struct Evidence {
  enum Kind : uint8_t {
    LocklessMarkedReader, ///< a marked load elsewhere, without a lock
    MarkedWriter,         ///< a WRITE_ONCE()/smp_store_release() store
    PeerMarks,            ///< a function in the same ops slot marks it
    SameFunctionMarks,    ///< this function marks another access of it
    LocklessSlot,         ///< this function fills a slot called locklessly
    LocklessPlainReader,  ///< a plain lockless read of it nearby
    PlainWriter,          ///< a plain store of the same kind that races
    MarkedOnOtherKinds,   ///< marked on other kinds of object: convention
    OwnerWrites,          ///< the reading function's own marked store
    SameThread,           ///< the racer runs in the same kernel thread
  };
  Kind K;
  int Weight = 0; ///< what it adds to the confidence
  llvm::StringRef File;
  uint32_t Line = 0, Col = 0;
  std::string Note; ///< the note's text
};

/// A text edit in the finding's file.
struct Edit {
  uint32_t Offset = 0, Length = 0;
  std::string Text;
};

struct Finding {
  CheckKind Check = CheckKind::MissingWriteOnce;
  const Access *Site = nullptr;
  unsigned Confidence = 0; ///< 0 to 100
  std::string Message;     ///< without the check name
  std::vector<Evidence> Notes; ///< the evidence, strongest first
  std::vector<Edit> Fix;   ///< empty: no fix-it
  std::string NoFixWhy;    ///< why Fix is empty
  llvm::StringRef RacingFunction; ///< the function it races with
  /// The confidence term by term, before clamping: each rule that added or
  /// took away, by its name in docs/clang-tidy/checks/kmark/ (notes or not).
  std::vector<std::pair<llvm::StringRef, int>> Terms;
  void add(llvm::StringRef Term, int Weight, int &Score) {
    Score += Weight;
    if (Weight)
      Terms.emplace_back(Term, Weight);
  }
};

enum class Tier : uint8_t { Low, Medium, High };
Tier tierOf(unsigned Confidence);
llvm::StringRef tierName(Tier T);
/// Parses "low", "medium", "high" or a number 0-100.
std::optional<unsigned> parseConfidence(llvm::StringRef S);
/// Lower bounds of the tiers.
constexpr unsigned MediumConfidence = 50;
constexpr unsigned HighConfidence = 70;

struct KernelModel;

class Analyzer {
public:
  /// The model names the ops slots that run before publication or without
  /// the writers' lock, and the init functions.  Both must outlive this.
  Analyzer(const Index &Idx, const KernelModel &Model);
  ~Analyzer();

  /// Findings for the candidate accesses (plain ones; others are ignored)
  /// at or above MinConfidence, sorted by file and offset.  A fix-it covers
  /// only findings that are reported: a store's fix wraps a load in its
  /// value only when that load is a finding too.
  std::vector<Finding> analyze(llvm::ArrayRef<const Access *> Candidates,
                               unsigned MinConfidence = 0);

  /// Whether the function runs before its object is published.
  bool isInitFunction(llvm::StringRef Key);
  /// exemption()'s reason for an object a later call publishes.
  static constexpr llvm::StringLiteral PublishedLaterReason =
      "the object is published later in this function";
  /// Why a plain access is exempt from findings ("" if it is not).
  llvm::StringRef exemption(const Access &A);
  /// Whether the access's object is not yet published: fresh where it is
  /// made, or passed fresh by every caller.
  bool isFresh(const Access &A);
  /// Whether every call of the function passes, as its Nth argument, an
  /// object not yet published (seen through callers' parameters too).
  bool freshParam(llvm::StringRef Key, unsigned N);
  /// Whether the function may publish what its Nth parameter points into:
  /// passes it to one of the model's publish primitives as the argument
  /// they publish, or to a function that publishes it (xa_insert() inside
  /// rdma_restrack_add()).
  bool publishesParam(llvm::StringRef Key, unsigned N);
  /// Whether a call after the access, on every path, publishes its object
  /// and none before it may have (Access::Publication).
  bool publishedLater(const Access &A);
  /// The call that publishes the access's object after it, if
  /// publishedLater(); null otherwise.
  const PublishCall *publisherAfter(const Access &A);

  struct HeldLocks;

private:
  struct FieldView;
  void analyzeField(llvm::StringRef Field,
                    llvm::ArrayRef<const Access *> Candidates,
                    std::vector<Finding> &Out);
  std::optional<Finding> checkLoad(const FieldView &V, const Access &A);
  std::optional<Finding> checkStore(const FieldView &V, const Access &A,
                                    llvm::ArrayRef<Finding> Loads);
  /// A peer in one of the function's ops slots that marks the field, and
  /// of the slot's other fillers that access it that way, how many mark it
  /// (Marking) and how many only access it plainly (Plain).
  const Access *peerMarking(const FieldView &V, const Access &A, bool Loads,
                            const SlotFill **Via, bool *ViaHelper,
                            unsigned *Marking = nullptr,
                            unsigned *Plain = nullptr);
  /// Evidence that this function or a peer in its ops slot marks the field
  /// (its reads if Loads, else its writes): notes added to F, the message's
  /// clause in Why; returns the weight (0 if none).  Raced: another access
  /// races with this read, so an earlier marked read of the same object in
  /// the function is a check it follows (weighed less), not all there is.
  int markingEvidence(const FieldView &V, const Access &A, bool Loads,
                      Finding &F, std::string &Why, bool Raced = false);
  bool locklessSlot(llvm::StringRef Function, const SlotFill **Via);
  /// " through set_value()" for an access made through a marking helper.
  std::string through(const Access &M);
  /// Whether S is Fn's access: in Fn, or made at a call to it on a member
  /// its caller passes.
  bool madeIn(const Access &S, llvm::StringRef Fn);
  /// A marked access of V's field, through its parameter, in a header
  /// helper that A's function calls (an accessor such as i_size_read()).
  const Access *accessorMarking(const FieldView &V, const Access &A,
                                bool Loads);
  /// The named locks every caller holds when it calls the function: for
  /// functions that are not callbacks, whose callers the index sees
  /// (static or not), from the locks held at each call and the caller's
  /// own.
  const std::vector<LockFact> &heldOnEntry(llvm::StringRef Key);
  /// The named locks held at the access, on entry included, sorted.
  std::vector<LockFact> locksAt(const Access &A);
  /// Whether a lock is held at the access, visibly or by every caller.
  bool lockHeld(const Access &A);
  HeldLocks heldAt(const Access &A);
  /// The kernel thread a function runs in: the thread function (the model's
  /// thread_slots) from which alone it is reached, through static
  /// functions whose callers the index sees; "" if none.
  llvm::StringRef threadOf(llvm::StringRef Key);
  /// Whether two functions run in one kernel thread, so never at once
  /// unless a pool of threads runs its function.
  bool sameThread(llvm::StringRef A, llvm::StringRef B);
  /// Whose a lock of this class is, for the object A touches.
  enum class LockOwner {
    /// A member of its struct, of a struct it holds or is held in, or of
    /// an outer struct its function knows it to be part of; a global's,
    /// whose object no struct tells, counts as its.
    Object,
    /// A member of a struct whose list or tree links the object: it
    /// guards the links, the object's fields only where the code makes it.
    List,
    /// Another object's.
    Other,
  };
  LockOwner lockOwner(const Access &A, llvm::StringRef Class);
  /// Whether some store of the field can run while A runs.
  bool racesWithAStore(const FieldView &V, const Access &A);
  /// The kinds of object an access may touch (see lib/Facts/Kinds.h): its
  /// own, or through a parameter what every caller passes; "" for unknown.
  std::vector<llvm::StringRef> kindsOf(const Access &A);
  std::vector<llvm::StringRef> paramKinds(llvm::StringRef Function,
                                          unsigned N);
  /// For a sysctl handler's write (Index::sysctlOf): whether the handler
  /// marks it, directly (proc_dointvec()) or by calling one that does, and
  /// the locks it holds there.
  bool sysctlMarks(const Access &A, HeldLocks &H, std::string &Via);
  /// How the objects of two accesses of V's field relate.
  /// Peers: whether accesses in peer modules are of different objects
  /// (yes for a racer; a marked reader that only shows the field's
  /// convention is evidence from a peer too).
  KindRelation kindRelation(const FieldView &V, const Access &A,
                            const Access &B, bool Peers = true);
  /// Whether two functions are in different loadable modules, neither of
  /// which calls the other nor a module that accesses V's field: peers
  /// that work on their own instances.
  bool peerModules(const FieldView &V, llvm::StringRef FnA,
                   llvm::StringRef FnB);
  static std::string kindNote(const FieldView &V, const Access &A,
                              const Access &B, KindRelation R);
  llvm::StringRef displayName(llvm::StringRef FunctionKey);

  const Index &Idx;
  const KernelModel &Model;
  /// What callers say, solved one strongly connected component at a time.
  struct Memos;
  std::unique_ptr<Memos> Memo;
};

/// The edits that wrap a plain access in READ_ONCE()/WRITE_ONCE().
std::vector<Edit> wrapEdits(const Access &A);

/// Merges edits that touch or share an offset, keeping their order, so the
/// result can be applied as non-overlapping replacements.
std::vector<Edit> normalizeEdits(std::vector<Edit> Edits);

/// Applies sorted, non-overlapping edits to Text.
std::string applyEdits(llvm::StringRef Text, llvm::ArrayRef<Edit> Edits);

} // namespace kmark

#endif // KMARK_RULES_H
