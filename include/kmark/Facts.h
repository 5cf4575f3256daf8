//===- Facts.h - What one translation unit says about field accesses ------===//
//
// The facts kmark reasons from: every access to a struct/union field, which
// function fills which ops slot, who calls whom.  Plain data, no clang types:
// facts are written to shards, merged into an index and queried without the
// AST.  Strings are StringRefs into an arena owned by whoever holds the facts
// (a FactSet).
//
//===----------------------------------------------------------------------===//

#ifndef KMARK_FACTS_H
#define KMARK_FACTS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Allocator.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/StringSaver.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace kmark {

/// How an access uses the field.
enum class AccessKind : uint8_t {
  Load,  ///< the value is read
  Store, ///< the field is assigned
  RMW,   ///< read-modify-write: `+=`, `|=`, `++`, `--`
};

/// How the access is marked, in the words of access-marking.txt.
enum class Marking : uint8_t {
  Plain,
  ReadOnce,
  WriteOnce,
  LoadAcquire,
  StoreRelease,
  RcuDereference, ///< rcu_dereference*(), rcu_access_pointer()
  RcuAssign,      ///< rcu_assign_pointer(), RCU_INIT_POINTER()
  DataRace,       ///< inside data_race(): an intentional, diagnosed race
  VolatileCast,   ///< a hand-written `*(volatile T *)&x`
  VolatileField,  ///< the field's type is volatile-qualified
};
constexpr unsigned NumMarkings = 10;

inline bool isMarked(Marking M) { return M != Marking::Plain; }

/// Why no fix-it can be offered for a plain access.  Computed from the AST
/// at extraction time, where the types and macro expansions are known.
enum class NoFix : uint8_t {
  None,       ///< a fix-it is possible
  MacroBody,  ///< the text comes from a macro body: not editable at this site
  Bitfield,   ///< READ_ONCE() of a bitfield does not compile
  Array,      ///< READ_ONCE() of an array silently yields a pointer
  Size,       ///< not 1, 2, 4 or 8 bytes: fails at code generation
  ValueUsed,  ///< an assignment whose value is used; WRITE_ONCE is a statement
  NotScalar,  ///< a struct or union assigned as a whole
};

/// Context of one access site, as a bit set.
enum AccessFlag : uint16_t {
  AF_LockHeld = 1U << 0,   ///< a lock is visibly held at the site
  AF_InMacroArg = 1U << 1, ///< spelled in the argument of a macro call
  AF_DataRacyField = 1U << 2, ///< the field is declared __data_racy
  AF_RcuProtected = 1U << 3,  ///< inside rcu_dereference_protected() & co.
  AF_FreshObject = 1U << 4,   ///< base object is not yet published
  AF_MacroBody = 1U << 5,     ///< spelled in a macro body: not editable here
  AF_OpAtEndOfLine = 1U << 6, ///< Store: a line break follows `=`; keep it
};

/// One access to a field.
struct Access {
  llvm::StringRef Field;    ///< field key, e.g. "tcp_sock::tsoffset"
  llvm::StringRef Function; ///< key of the enclosing function
  llvm::StringRef File;     ///< file the access is spelled in
  llvm::StringRef Text;     ///< spelled text of the accessed lvalue
  llvm::StringRef RhsText;  ///< Store/RMW: the spelled value operand
  llvm::StringRef Op;       ///< RMW: "+=", "|=", "++", "--" ...
  llvm::StringRef Locks;    ///< classes of the locks held (see CallEdge)
  /// Where the base object came from: the allocator or cloner of a fresh
  /// one (with AF_FreshObject), or "param:N" for the function's Nth
  /// parameter (fresh if every caller passes a fresh object).
  llvm::StringRef Origin;
  uint32_t Line = 0, Col = 0;         ///< 1-based, of Text's first character
  uint32_t Begin = 0, End = 0;        ///< file offsets of Text
  uint32_t RhsBegin = 0, RhsEnd = 0;  ///< file offsets of RhsText
  uint32_t SepEnd = 0; ///< Store: `Text = ` ends here; [End, SepEnd) -> ", "
  AccessKind Kind = AccessKind::Load;
  Marking Mark = Marking::Plain;
  NoFix Fix = NoFix::None;
  uint16_t Flags = 0;

  bool has(AccessFlag F) const { return (Flags & F) != 0; }
};

/// Attributes of a function definition.
enum FunctionFlag : uint16_t {
  FF_Init = 1U << 0,         ///< __init / __net_init / __devinit: runs before
                             ///< what it sets up is published
  FF_Exit = 1U << 1,         ///< __exit / __net_exit
  FF_LockAsserted = 1U << 2, ///< asserts a lock held on entry (lockdep)
  FF_Static = 1U << 3,       ///< internal linkage
};

struct Function {
  llvm::StringRef Key;  ///< unique across the tree: "name" or "name@file"
  llvm::StringRef Name; ///< as spelled
  llvm::StringRef File;
  uint32_t Line = 0;
  uint16_t Flags = 0;
};

/// A function stored into a function-pointer field: `.poll = smc_poll` in a
/// static initialiser of `struct proto_ops`, `work->func = fn` at run time,
/// or a callback passed to a registration call (OpsType "call:NAME").
struct SlotFill {
  llvm::StringRef OpsType;  ///< "proto_ops"
  llvm::StringRef Slot;     ///< "poll"
  llvm::StringRef Function; ///< function key
  llvm::StringRef Holder;   ///< the variable initialised ("smc_sock_ops")
  llvm::StringRef File;
  uint32_t Line = 0, Col = 0; ///< of the function's name in the initialiser
  bool Static = false; ///< from a static initialiser (an ops table)
};

struct CallEdge {
  llvm::StringRef Caller; ///< function key
  llvm::StringRef Callee; ///< function key
  /// Classes of the locks held at every call from Caller to Callee,
  /// ';'-separated: "rcu_node::lock" (a struct's lock member), "rtnl",
  /// a global lock's name; "?callee" for a lock known only by pointer.
  llvm::StringRef Locks;
  /// What each argument passes, at every call, ';'-separated: "F" an object
  /// not yet published, "P2" the caller's second parameter, "-" anything
  /// else ("" if no argument is either).
  llvm::StringRef Args;
};

/// Everything one source file contributes, as seen by one TU.
struct FileFacts {
  llvm::StringRef Path;
  uint64_t Digest = 0; ///< of the file's contents
  /// A reference only: the facts of this file (a header) are kept elsewhere,
  /// in the header shard of this digest or in the tree's index.
  bool External = false;
  /// Which build of the header these facts are from: kbuild compiles
  /// modules with MODULE defined, and headers define some functions only
  /// for one or the other.  0 built-in, 1 module.
  uint8_t Variant = 0;
  std::vector<Access> Accesses;
  std::vector<Function> Functions;
  std::vector<SlotFill> Slots;
  std::vector<CallEdge> Calls;

  bool empty() const {
    return Accesses.empty() && Functions.empty() && Slots.empty() &&
           Calls.empty();
  }
};

/// A translation unit and the files it read, for incremental runs.
struct TUEntry {
  llvm::StringRef MainFile;
  std::vector<llvm::StringRef> Files; ///< every file the TU included
};

/// A set of facts that owns its strings: the shard of one translation unit
/// (its main file and the headers it includes) or a merged index.
class FactSet {
public:
  FactSet() : Saver(Arena) {}
  FactSet(const FactSet &) = delete;
  FactSet &operator=(const FactSet &) = delete;

  /// Copies S into this set's arena.
  llvm::StringRef save(llvm::StringRef S) { return Saver.save(S); }

  /// Copies F, strings included, into this set.
  FileFacts &copyFile(const FileFacts &F);

  /// Keeps Buffer alive as long as this set: decoded strings may point
  /// into it instead of being copied.
  void adopt(std::unique_ptr<llvm::MemoryBuffer> Buffer) {
    Backing.push_back(std::move(Buffer));
  }

  std::vector<FileFacts> Files;
  std::vector<TUEntry> TUs;

private:
  llvm::BumpPtrAllocator Arena;
  llvm::UniqueStringSaver Saver;
  std::vector<std::unique_ptr<llvm::MemoryBuffer>> Backing;
};

llvm::StringRef markingName(Marking M);
llvm::StringRef accessKindName(AccessKind K);
llvm::StringRef noFixReason(NoFix F);

} // namespace kmark

#endif // KMARK_FACTS_H
