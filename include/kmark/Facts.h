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

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Allocator.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <tuple>
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
  /// An atomic operation on the field's address: set_bit(), xchg(),
  /// cmpxchg(), test_bit(), whose body tells KCSAN it is atomic
  /// (instrument_atomic_read() and friends, named in the kernel model).
  Atomic,
};
constexpr unsigned NumMarkings = 11;

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

/// How a lock is held.
enum class LockMode : uint8_t {
  Exclusive, ///< spin_lock(), mutex_lock(), down_write(), write_lock()
  Shared,    ///< down_read(), read_lock(): other readers hold it too
};

/// A lock at an access or a call: held there, or held on entry to the
/// function and released before that point.
struct LockFact {
  /// The lock's class: the field key of a lock that is a struct member
  /// ("inode::i_rwsem"), a global lock's name ("rtnl", "name@file" for a
  /// static one).  Empty: a lock known only through a pointer.
  llvm::StringRef Class;
  LockMode Mode = LockMode::Exclusive;
  /// Held on entry (by the callers) and released by this function before
  /// this point.
  bool Released = false;

  bool named() const { return !Class.empty(); }
  template <typename Self> static auto fields(Self &S) {
    return std::tie(S.Class, S.Mode, S.Released);
  }
  bool operator==(const LockFact &O) const { return fields(*this) == fields(O); }
  bool operator<(const LockFact &O) const { return fields(*this) < fields(O); }
};
using LockList = llvm::ArrayRef<LockFact>;
/// Whether a lock is held (not only released) in the list.
bool anyHeld(LockList L);

/// A call that is given a pointer into an accessed object and may publish
/// it (Access::Publication).
struct PublishCall {
  /// Made before the access, on some path; else after it, on every path.
  bool Before = false;
  /// The callee's function key; empty for one of the model's publish
  /// primitives (list_add()), which publishes what it is given.
  llvm::StringRef Callee;
  /// The callee's argument that is given the pointer, from 1 (0 for a
  /// primitive).
  uint16_t Arg = 0;

  bool primitive() const { return Callee.empty(); }
  template <typename Self> static auto fields(Self &S) {
    return std::tie(S.Before, S.Callee, S.Arg);
  }
  bool operator==(const PublishCall &O) const {
    return fields(*this) == fields(O);
  }
  bool operator<(const PublishCall &O) const {
    return fields(*this) < fields(O);
  }
};

/// Where the object an access reaches comes from.
enum class OriginKind : uint8_t {
  Unknown,
  Fresh,    ///< an allocator's or cloner's result, not yet published
  Stack,    ///< the function's own frame
  NewInode, ///< an inode with I_NEW set, not yet visible to lookups
  Param,    ///< the object one of the function's parameters points to
};

/// Origin::Source of memory the function, or a function it called, cleared
/// with memset() rather than allocated: new to its readers' eyes only.
inline constexpr llvm::StringLiteral ClearedMemory = "memset";

struct Origin {
  OriginKind Kind = OriginKind::Unknown;
  uint16_t Param = 0;     ///< Param: 1-based
  llvm::StringRef Source; ///< Fresh: the allocator or cloner, or ClearedMemory

  /// Whether no other CPU can see the object where it is accessed.
  bool unpublished() const {
    return Kind == OriginKind::Fresh || Kind == OriginKind::Stack ||
           Kind == OriginKind::NewInode;
  }
};

/// Context of one access site, as a bit set.
enum AccessFlag : uint16_t {
  AF_InMacroArg = 1U << 1, ///< spelled in the argument of a macro call
  AF_DataRacyField = 1U << 2, ///< the field is declared __data_racy
  AF_RcuProtected = 1U << 3,  ///< inside rcu_dereference_protected() & co.
  AF_MacroBody = 1U << 5,     ///< spelled in a macro body: not editable here
  AF_OpAtEndOfLine = 1U << 6, ///< Store: a line break follows `=`; keep it
  AF_TornDown = 1U << 7, ///< the object is out of its readers' reach here
  AF_BeforePublication = 1U << 8, ///< the function publishes it later (init)
  AF_OpaqueField = 1U << 9, ///< a `void *` field: what it points to is the
                            ///< business of whoever sets it (->private)
  AF_AfterMarkedLoad = 1U << 10, ///< a plain load that a marked load of the
                                 ///< same object's field precedes on every
                                 ///< path of its function (the CFG's)
  AF_ParamItself = 1U << 11, ///< the object is a parameter itself, `p->f` or
                             ///< `p->a.f` (not `container_of(p)`, a copy)
};

/// One access to a field.
struct Access {
  llvm::StringRef Field;    ///< field key, e.g. "tcp_sock::tsoffset"
  llvm::StringRef Function; ///< key of the enclosing function
  llvm::StringRef File;     ///< file the access is spelled in
  llvm::StringRef Text;     ///< spelled text of the accessed lvalue
  llvm::StringRef RhsText;  ///< Store/RMW: the spelled value operand
  llvm::StringRef Op;       ///< RMW: "+=", "|=", "++", "--" ...
  LockList Locks;           ///< the locks at the access, sorted
  Origin From;              ///< where the base object comes from
  /// The kind of object touched, as the chain of structs from the
  /// outermost one the function knows it to be part of down to the
  /// field's own: "smc_sock>sock"; empty when only the field's own struct
  /// is known (lib/Facts/Kinds.h).
  llvm::StringRef ObjectKind;
  /// The members embedded in the object on the way to the field,
  /// outermost first, as declared: "replicas_gc" for c->replicas_gc.nr,
  /// "__sk_common.skc_node" for sk->sk_node.next; "" for none.  A field
  /// directly in a union's arm is named by the union's member; members
  /// below an arm give "" (lib/Facts/Kinds.h).
  llvm::StringRef Members;
  /// The calls on every path after the access that are given a pointer
  /// into the object and may publish it, then those of such calls made
  /// before it, sorted.  The merge reads the access as before publication
  /// when a later one publishes that argument and no earlier one does.
  /// Empty when the extractor decided alone (AF_BeforePublication).
  llvm::ArrayRef<PublishCall> Publication;
  uint32_t Line = 0, Col = 0;         ///< 1-based, of Text's first character
  uint32_t Begin = 0, End = 0;        ///< file offsets of Text
  uint32_t RhsBegin = 0, RhsEnd = 0;  ///< file offsets of RhsText
  uint32_t SepEnd = 0; ///< Store: `Text = ` ends here; [End, SepEnd) -> ", "
  AccessKind Kind = AccessKind::Load;
  Marking Mark = Marking::Plain;
  NoFix Fix = NoFix::None;
  uint16_t Flags = 0;
  /// Bytes the access reads or writes: the field's size (an array
  /// element's for an element, the declared type's for a bitfield), as
  /// KCSAN reports it; 0 when not known (a synthesised access).
  uint8_t Size = 0;

  bool has(AccessFlag F) const { return (Flags & F) != 0; }
  /// Whether a lock is held at the access.
  bool lockHeld() const { return anyHeld(Locks); }

  /// Every field, in one order: copying, encoding, decoding and comparing
  /// all go through this.
  template <typename Self> static auto fields(Self &S) {
    return std::tie(S.File, S.Begin, S.End, S.Line, S.Col, S.Field,
                    S.Function, S.Kind, S.Mark, S.Flags, S.Text, S.RhsText,
                    S.Op, S.Locks, S.From.Kind, S.From.Param, S.From.Source,
                    S.ObjectKind, S.Fix, S.RhsBegin, S.RhsEnd, S.SepEnd,
                    S.Size, S.Publication, S.Members);
  }
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
  /// The loadable module whose .c file defines it ("3c59x"); empty for
  /// built-in code and for functions defined in headers.
  llvm::StringRef Module;

  template <typename Self> static auto fields(Self &S) {
    return std::tie(S.Line, S.Key, S.Name, S.File, S.Flags, S.Module);
  }
};

/// The ops type of the slot a callback passed to a call fills: "call:NAME".
constexpr llvm::StringLiteral CallSlotPrefix = "call:";

/// A function stored into a function-pointer field: `.poll = smc_poll` in a
/// static initialiser of `struct proto_ops`, `work->func = fn` at run time,
/// or a callback passed as argument Slot of a call to NAME (OpsType
/// "call:NAME").
struct SlotFill {
  llvm::StringRef OpsType;  ///< "proto_ops"
  llvm::StringRef Slot;     ///< "poll"
  llvm::StringRef Function; ///< function key
  llvm::StringRef Holder;   ///< the variable initialised ("smc_sock_ops")
  /// "call:" fills: the function making the call (`__device_attach` for
  /// `bus_for_each_drv(..., __device_attach_driver)`).
  llvm::StringRef Caller;
  llvm::StringRef File;
  uint32_t Line = 0, Col = 0; ///< of the function's name in the initialiser
  bool Static = false; ///< from a static initialiser (an ops table)

  template <typename Self> static auto fields(Self &S) {
    return std::tie(S.Line, S.Col, S.OpsType, S.Slot, S.Function, S.Holder,
                    S.Caller, S.File, S.Static);
  }
};

/// What an argument of a call passes.
struct ArgOrigin {
  enum Kind : uint8_t {
    Other,
    Fresh, ///< an object not yet published
    Param, ///< one of the caller's parameters
  };
  Kind K = Other;
  uint16_t Index = 0; ///< Param: the caller's parameter, 1-based
  /// The kind of object the argument points to, when the caller knows more
  /// than its type ("smc_sock>sock" for &smc->sk, or sk after smc_sk(sk)).
  llvm::StringRef ObjectKind;
  /// Param: the parameter itself at every call, not a pointer derived
  /// from it (&p->m, p + 1, container_of(p, ...)).
  bool Itself = false;

  /// Says nothing: dropped from the end of an argument list.
  bool empty() const { return K == Other && ObjectKind.empty(); }
  template <typename Self> static auto fields(Self &S) {
    return std::tie(S.K, S.Index, S.Itself, S.ObjectKind);
  }
  bool operator==(const ArgOrigin &O) const {
    return fields(*this) == fields(O);
  }
  bool operator<(const ArgOrigin &O) const {
    return fields(*this) < fields(O);
  }
};

struct CallEdge {
  llvm::StringRef Caller; ///< function key
  llvm::StringRef Callee; ///< function key
  /// The locks held at every call from Caller to Callee (and those Caller
  /// released before any of them).
  LockList Locks;
  /// What each argument passes at every call (trailing Others dropped).
  llvm::ArrayRef<ArgOrigin> Args;

  template <typename Self> static auto fields(Self &S) {
    return std::tie(S.Caller, S.Callee, S.Locks, S.Args);
  }
};

/// The number of values of the facts' enumerations, for readers that
/// check what they decode.
template <typename E> struct EnumCount;
template <> struct EnumCount<AccessKind> { static constexpr unsigned N = 3; };
template <> struct EnumCount<Marking> { static constexpr unsigned N = NumMarkings; };
template <> struct EnumCount<NoFix> { static constexpr unsigned N = 7; };
template <> struct EnumCount<LockMode> { static constexpr unsigned N = 2; };
template <> struct EnumCount<OriginKind> { static constexpr unsigned N = 5; };
template <> struct EnumCount<ArgOrigin::Kind> { static constexpr unsigned N = 3; };

/// A call through an ops slot, `q->ops->dump(q, skb)`: every function
/// stored in that slot may run there, under the locks held there.  A call
/// through a function's own pointer parameter, `fn(dev, data)` in
/// bus_for_each_dev(), is a call through slot "call:NAME" of the parameter's
/// index: the callbacks passed there run under the locks held there.
struct SlotCall {
  llvm::StringRef Caller;  ///< function key
  llvm::StringRef OpsType; ///< "Qdisc_class_ops"
  llvm::StringRef Slot;    ///< "dump"
  /// The locks held at every such call in Caller (and those it released).
  LockList Locks;

  template <typename Self> static auto fields(Self &S) {
    return std::tie(S.Caller, S.OpsType, S.Slot, S.Locks);
  }
};

/// A sysctl: `.data = &init_net.ipv4.sysctl_tcp_ecn` in a `struct
/// ctl_table` entry.  Its handler writes the field through that pointer
/// whenever the file is written, holding nothing its readers hold.
struct SysctlEntry {
  llvm::StringRef Field;      ///< the field .data points to
  llvm::StringRef Procname;   ///< "tcp_ecn"
  llvm::StringRef Handler;    ///< function key of .proc_handler ("" if none)
  llvm::StringRef Text;       ///< the .data initialiser as spelled
  llvm::StringRef ObjectKind; ///< as Access::ObjectKind, for the template
  llvm::StringRef File;
  uint32_t Line = 0, Col = 0; ///< of the .data initialiser

  template <typename Self> static auto fields(Self &S) {
    return std::tie(S.Line, S.Col, S.Field, S.Procname, S.Handler, S.Text,
                    S.ObjectKind, S.File);
  }
};

/// An access through a pointer parameter itself, `WRITE_ONCE(*valp, v)`:
/// at each call, it is an access of whatever field the caller passes.
struct ParamAccess {
  llvm::StringRef Function; ///< function key
  uint16_t Param = 0;       ///< 1-based
  AccessKind Kind = AccessKind::Load;
  Marking Mark = Marking::Plain;

  template <typename Self> static auto fields(Self &S) {
    return std::tie(S.Function, S.Param, S.Kind, S.Mark);
  }
  bool operator==(const ParamAccess &O) const {
    return fields(*this) == fields(O);
  }
};

/// A call that passes the address of a field, `set_val(&obj->f, v)`, or
/// of an embedded struct whose fields the callee accesses through that
/// parameter, `wq_list_add_tail(node, &ctx->iopoll_list)`.
struct FieldArg {
  llvm::StringRef Caller, Callee; ///< function keys
  uint16_t Arg = 0;               ///< 1-based
  llvm::StringRef Field;          ///< the field whose address is passed
  llvm::StringRef Text;           ///< the field as spelled, without `&`
  /// As Access::ObjectKind; an embedded struct's is the kind the callee's
  /// parameter points to ("io_ring_ctx>io_wq_work_list").
  llvm::StringRef ObjectKind;
  /// An embedded struct's: the members from the object down to it, as
  /// Access::Members ("iopoll_list"); empty for a scalar field.
  llvm::StringRef Members;
  /// An embedded struct's: every call from Caller to Callee passes one as
  /// this argument.
  bool EveryCall = false;
  llvm::StringRef File;
  uint32_t Line = 0, Col = 0;     ///< of the field in the argument
  LockList Locks;                 ///< held at the call

  template <typename Self> static auto fields(Self &S) {
    return std::tie(S.Line, S.Col, S.Caller, S.Callee, S.Arg, S.Field, S.Text,
                    S.ObjectKind, S.Members, S.EveryCall, S.File, S.Locks);
  }
};

/// A struct that holds another as a member (an array of them, or inside an
/// anonymous struct or union, included): by value, as `struct dentry` holds
/// a `struct lockref`, or through a pointer, as a device points to its
/// rings.  Recorded where Outer is defined, by the record names alone (no
/// file), so a lock and a field can be told apart as parts of one object
/// or of two.
/// Also a global variable (Global: Outer is its key) that is a struct
/// Inner or an array of them: a lock in it is a global's.  Also a list or
/// tree that is a member of Outer and links Inner's objects (Link, with
/// Pointer), recorded where a function links one.
struct Embedding {
  llvm::StringRef Outer, Inner;
  bool Pointer = false; ///< a pointer member (or an array of them)
  bool Global = false;  ///< Outer is a global variable, not a struct
  bool Link = false;    ///< Outer's list or tree links Inner's objects

  template <typename Self> static auto fields(Self &S) {
    return std::tie(S.Outer, S.Inner, S.Pointer, S.Global, S.Link);
  }
  bool operator==(const Embedding &O) const {
    return fields(*this) == fields(O);
  }
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
  std::vector<SlotCall> SlotCalls;
  std::vector<SysctlEntry> Sysctls;
  std::vector<ParamAccess> ParamAccesses;
  std::vector<FieldArg> FieldArgs;
  std::vector<Embedding> Embeddings;

  /// Calls F on each list of facts, in one order: copying, encoding,
  /// decoding, merging and sorting all go through this.
  template <typename Self, typename Fn> static void lists(Self &S, Fn &&F) {
    F(S.Accesses);
    F(S.Functions);
    F(S.Slots);
    F(S.Calls);
    F(S.SlotCalls);
    F(S.Sysctls);
    F(S.ParamAccesses);
    F(S.FieldArgs);
    F(S.Embeddings);
  }

  bool empty() const {
    bool Empty = true;
    lists(*this, [&](const auto &L) { Empty &= L.empty(); });
    return Empty;
  }
};

/// A translation unit and the files it read, for incremental runs.
struct TUEntry {
  llvm::StringRef MainFile;
  std::vector<llvm::StringRef> Files; ///< every file the TU included
};

/// Copies S, NUL-terminated, into A.  Inline, and not llvm::StringSaver,
/// on purpose: an allocation made inside libLLVM, which is not built with
/// AddressSanitizer, lands in a slab that kmark's instrumented code
/// poisoned when it made the slab, and ASan reports the copy.
inline llvm::StringRef copyString(llvm::BumpPtrAllocator &A, llvm::StringRef S) {
  char *P = A.Allocate<char>(S.size() + 1);
  if (!S.empty())
    std::memcpy(P, S.data(), S.size());
  P[S.size()] = '\0';
  return {P, S.size()};
}

/// A set of facts that owns its strings: the shard of one translation unit
/// (its main file and the headers it includes) or a merged index.
class FactSet {
public:
  FactSet() = default;
  FactSet(const FactSet &) = delete;
  FactSet &operator=(const FactSet &) = delete;

  /// Copies S into this set's arena, once per distinct string.
  llvm::StringRef save(llvm::StringRef S) {
    auto It = Strings.find(S);
    if (It != Strings.end())
      return *It;
    llvm::StringRef Copy = copyString(Arena, S);
    Strings.insert(Copy);
    return Copy;
  }
  /// Copies a list of facts (locks, argument origins, publishing calls),
  /// their strings included, into this set's arena.
  template <typename T> llvm::ArrayRef<T> save(llvm::ArrayRef<T> L) {
    if (L.empty())
      return {};
    T *Copy = Arena.Allocate<T>(L.size());
    for (size_t I = 0; I < L.size(); ++I) {
      new (&Copy[I]) T(L[I]);
      own(Copy[I]);
    }
    return {Copy, L.size()};
  }
  /// Makes every string and list of a fact point into this set's arena.
  template <typename Fact> void own(Fact &F) {
    std::apply([this](auto &...Member) { (this->ownMember(Member), ...); },
               Fact::fields(F));
  }

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
  void ownMember(llvm::StringRef &S) { S = save(S); }
  template <typename T> void ownMember(llvm::ArrayRef<T> &L) { L = save(L); }
  template <typename T> void ownMember(T & /*Scalar*/) {}

  llvm::BumpPtrAllocator Arena;
  llvm::DenseSet<llvm::StringRef> Strings; ///< every string saved, once
  std::vector<std::unique_ptr<llvm::MemoryBuffer>> Backing;
};

/// A field as the code names it: "record::member", without the file that
/// a key of a driver's own struct adds (lib/Facts/Keys.h).
inline llvm::StringRef fieldName(llvm::StringRef Key) {
  return Key.split('@').first;
}
/// The struct of a field key or of a lock's class, as a record name
/// ("inode" for "inode::i_rwsem"); empty for a global.
inline llvm::StringRef recordName(llvm::StringRef Key) {
  llvm::StringRef F = fieldName(Key);
  size_t P = F.rfind("::");
  return P == llvm::StringRef::npos ? llvm::StringRef() : F.take_front(P);
}

/// Whether spelled text is one C identifier: a variable's name, a member's.
inline bool isIdentifier(llvm::StringRef T) {
  return !T.empty() && !llvm::isDigit(T.front()) &&
         llvm::all_of(T, [](char C) { return llvm::isAlnum(C) || C == '_'; });
}

llvm::StringRef markingName(Marking M);
/// A lock list as text: "inode::i_rwsem;rtnl", "(shared)" after a shared
/// one, "-" before one released, "?" for one known only by pointer.
std::string lockListText(LockList L);
/// Argument origins as text: "F" new, "P2" the caller's second parameter,
/// "-" anything else, ';'-separated.
std::string argListText(llvm::ArrayRef<ArgOrigin> A);
llvm::StringRef accessKindName(AccessKind K);
llvm::StringRef noFixReason(NoFix F);

} // namespace kmark

#endif // KMARK_FACTS_H
