//===- Model.cpp - The kernel model, read from YAML -----------------------===//

#include "kmark/Model.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLTraits.h"

namespace kmark {

namespace {

/// One model document as written: every key optional, so an extension
/// file says only what it adds.
struct LockEntry {
  std::string Op, Mode, Class, Member, Success;
  std::optional<unsigned> Arg;
  std::vector<std::string> Names;
};

struct NewInodeEntry {
  std::string Field, Flag;
  std::vector<std::string> PublishedBy;
};

struct MarkingEntry {
  std::vector<std::string> ReadOnce, WriteOnce, LoadAcquire, StoreRelease,
      RcuDereference, RcuAssign, DataRace, AtomicLoad, AtomicStore, AtomicRmw;
};

struct SysctlModelEntry {
  std::string Table, Data, Name, Handler, Mode;
  std::vector<std::string> MarkingHandlers;
};

struct TeardownEntry {
  std::vector<std::string> Unpublish, UnpublishRcu, GracePeriod, Republish;
};

struct AnnotationEntry {
  std::vector<std::string> Acquires, Releases, MustHold;
};

struct Document {
  unsigned Version = 0;
  MarkingEntry Marking;
  std::vector<std::string> RcuProtected, DataRacy, LockTypes, PassThrough;
  std::vector<LockEntry> Locks, Assertions;
  std::string LockDepMap;
  AnnotationEntry Annotations;
  std::vector<std::string> Allocators, AllocatorSuffixes, ErrorPointers;
  std::optional<NewInodeEntry> NewInode;
  std::vector<std::string> InitAttributes, ExitAttributes, InitSections,
      InitFunctions, InitialiserNames, InitSlots, LocklessSlots, ThreadSlots,
      Publish, Register, PublishStores;
  TeardownEntry Teardown;
  std::optional<SysctlModelEntry> Sysctl;
};

} // namespace
} // namespace kmark

LLVM_YAML_IS_SEQUENCE_VECTOR(kmark::LockEntry)

namespace llvm::yaml {

template <> struct MappingTraits<kmark::LockEntry> {
  static void mapping(IO &IO, kmark::LockEntry &E) {
    IO.mapOptional("op", E.Op);
    IO.mapOptional("mode", E.Mode);
    IO.mapOptional("arg", E.Arg);
    IO.mapOptional("member", E.Member);
    IO.mapOptional("class", E.Class);
    IO.mapOptional("success", E.Success);
    IO.mapOptional("functions", E.Names);
    IO.mapOptional("macros", E.Names);
  }
};

template <> struct MappingTraits<kmark::NewInodeEntry> {
  static void mapping(IO &IO, kmark::NewInodeEntry &E) {
    IO.mapRequired("field", E.Field);
    IO.mapRequired("flag", E.Flag);
    IO.mapOptional("published_by", E.PublishedBy);
  }
};

template <> struct MappingTraits<kmark::MarkingEntry> {
  static void mapping(IO &IO, kmark::MarkingEntry &E) {
    IO.mapOptional("read_once", E.ReadOnce);
    IO.mapOptional("write_once", E.WriteOnce);
    IO.mapOptional("load_acquire", E.LoadAcquire);
    IO.mapOptional("store_release", E.StoreRelease);
    IO.mapOptional("rcu_dereference", E.RcuDereference);
    IO.mapOptional("rcu_assign", E.RcuAssign);
    IO.mapOptional("data_race", E.DataRace);
    IO.mapOptional("atomic_load", E.AtomicLoad);
    IO.mapOptional("atomic_store", E.AtomicStore);
    IO.mapOptional("atomic_rmw", E.AtomicRmw);
  }
};

template <> struct MappingTraits<kmark::SysctlModelEntry> {
  static void mapping(IO &IO, kmark::SysctlModelEntry &E) {
    IO.mapRequired("table", E.Table);
    IO.mapRequired("data", E.Data);
    IO.mapRequired("procname", E.Name);
    IO.mapRequired("handler", E.Handler);
    IO.mapOptional("mode", E.Mode);
    IO.mapOptional("marking_handlers", E.MarkingHandlers);
  }
};

template <> struct MappingTraits<kmark::TeardownEntry> {
  static void mapping(IO &IO, kmark::TeardownEntry &E) {
    IO.mapOptional("unpublish", E.Unpublish);
    IO.mapOptional("unpublish_rcu", E.UnpublishRcu);
    IO.mapOptional("grace_period", E.GracePeriod);
    IO.mapOptional("republish", E.Republish);
  }
};

template <> struct MappingTraits<kmark::AnnotationEntry> {
  static void mapping(IO &IO, kmark::AnnotationEntry &E) {
    IO.mapOptional("acquires", E.Acquires);
    IO.mapOptional("releases", E.Releases);
    IO.mapOptional("must_hold", E.MustHold);
  }
};

template <> struct MappingTraits<kmark::Document> {
  static void mapping(IO &IO, kmark::Document &D) {
    IO.mapRequired("kmark-model", D.Version);
    IO.mapOptional("marking", D.Marking);
    IO.mapOptional("rcu_protected", D.RcuProtected);
    IO.mapOptional("data_racy", D.DataRacy);
    IO.mapOptional("lock_types", D.LockTypes);
    IO.mapOptional("lock_pass_through", D.PassThrough);
    IO.mapOptional("locks", D.Locks);
    IO.mapOptional("lock_assertions", D.Assertions);
    IO.mapOptional("lock_dep_map", D.LockDepMap);
    IO.mapOptional("lock_annotations", D.Annotations);
    IO.mapOptional("allocators", D.Allocators);
    IO.mapOptional("allocator_suffixes", D.AllocatorSuffixes);
    IO.mapOptional("error_pointers", D.ErrorPointers);
    IO.mapOptional("new_inode", D.NewInode);
    IO.mapOptional("init_attributes", D.InitAttributes);
    IO.mapOptional("exit_attributes", D.ExitAttributes);
    IO.mapOptional("init_sections", D.InitSections);
    IO.mapOptional("init_functions", D.InitFunctions);
    IO.mapOptional("initialiser_names", D.InitialiserNames);
    IO.mapOptional("init_slots", D.InitSlots);
    IO.mapOptional("lockless_slots", D.LocklessSlots);
    IO.mapOptional("thread_slots", D.ThreadSlots);
    IO.mapOptional("publish", D.Publish);
    IO.mapOptional("register", D.Register);
    IO.mapOptional("publish_stores", D.PublishStores);
    IO.mapOptional("teardown", D.Teardown);
    IO.mapOptional("sysctl", D.Sysctl);
  }
};

} // namespace llvm::yaml

namespace kmark {

namespace {

/// The version of the model's format this kmark reads.
constexpr unsigned ModelVersion = 1;

llvm::Error bad(llvm::StringRef Name, const llvm::Twine &Why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "kernel model '" + Name + "': " + Why);
}

llvm::Expected<LockPrimitive> primitive(const LockEntry &E, bool Macro,
                                        llvm::StringRef Name) {
  LockPrimitive P;
  if (Macro) {
    P.Op = LockOp::Assert;
    if (!E.Op.empty() && E.Op != "assert")
      return bad(Name, "a lock assertion's op must be 'assert', not '" + E.Op +
                           "'");
  } else if (E.Op == "acquire") {
    P.Op = LockOp::Acquire;
  } else if (E.Op == "release") {
    P.Op = LockOp::Release;
  } else if (E.Op == "trylock") {
    P.Op = LockOp::TryAcquire;
  } else if (E.Op == "assert") {
    P.Op = LockOp::Assert;
  } else {
    return bad(Name, "unknown lock op '" + E.Op +
                         "' (acquire, release, trylock or assert)");
  }
  if (E.Mode.empty() || E.Mode == "exclusive")
    P.Mode = LockMode::Exclusive;
  else if (E.Mode == "shared")
    P.Mode = LockMode::Shared;
  else
    return bad(Name, "unknown lock mode '" + E.Mode +
                         "' (exclusive or shared)");
  if (E.Success.empty() || E.Success == "nonzero")
    P.SuccessIsZero = false;
  else if (E.Success == "zero")
    P.SuccessIsZero = true;
  else
    return bad(Name, "unknown trylock success '" + E.Success +
                         "' (zero or nonzero)");
  if (!E.Success.empty() && P.Op != LockOp::TryAcquire)
    return bad(Name, "'success' is for trylock entries only");
  P.Arg = E.Arg.value_or(0);
  P.Member = E.Member;
  P.Class = E.Class;
  if (E.Names.empty())
    return bad(Name, "a lock entry names no function or macro");
  return P;
}

void addAll(llvm::StringSet<> &Set, const std::vector<std::string> &Names) {
  for (const std::string &N : Names)
    Set.insert(N);
}

} // namespace

bool KernelModel::isAllocator(llvm::StringRef Name) const {
  return Allocators.contains(Name) ||
         llvm::any_of(AllocatorSuffixes, [&](const std::string &S) {
           return Name.ends_with(S) &&
                  Allocators.contains(Name.drop_back(S.size()));
         });
}

bool KernelModel::isInitialiserName(llvm::StringRef Name) const {
  Name = Name.ltrim('_');
  return llvm::any_of(InitialiserNames, [&](const llvm::GlobPattern &P) {
    return P.match(Name);
  });
}

llvm::Error parseModel(llvm::StringRef Yaml, llvm::StringRef Name,
                       KernelModel &Into) {
  std::string Diags;
  auto Handler = [](const llvm::SMDiagnostic &D, void *Ctx) {
    auto &Out = *static_cast<std::string *>(Ctx);
    if (Out.empty())
      Out = llvm::formatv("line {0}:{1}: {2}", D.getLineNo(),
                          D.getColumnNo() + 1, D.getMessage())
                .str();
  };
  Document D;
  llvm::yaml::Input In(Yaml, nullptr, Handler, &Diags);
  In >> D;
  if (In.error())
    return bad(Name, Diags.empty() ? In.error().message() : Diags);
  if (D.Version != ModelVersion)
    return bad(Name, llvm::formatv("format version {0}; this kmark reads "
                                   "version {1}",
                                   D.Version, ModelVersion));

  auto Fill = [](auto &Map, const std::vector<std::string> &Names, auto V) {
    for (const std::string &N : Names)
      Map[N] = V;
  };
  auto Marks = [&](const std::vector<std::string> &Names, Marking M) {
    Fill(Into.MarkingMacros, Names, M);
  };
  Marks(D.Marking.ReadOnce, Marking::ReadOnce);
  Marks(D.Marking.WriteOnce, Marking::WriteOnce);
  Marks(D.Marking.LoadAcquire, Marking::LoadAcquire);
  Marks(D.Marking.StoreRelease, Marking::StoreRelease);
  Marks(D.Marking.RcuDereference, Marking::RcuDereference);
  Marks(D.Marking.RcuAssign, Marking::RcuAssign);
  Marks(D.Marking.DataRace, Marking::DataRace);
  Fill(Into.AtomicHooks, D.Marking.AtomicLoad, AccessKind::Load);
  Fill(Into.AtomicHooks, D.Marking.AtomicStore, AccessKind::Store);
  Fill(Into.AtomicHooks, D.Marking.AtomicRmw, AccessKind::RMW);
  addAll(Into.RcuProtectedMacros, D.RcuProtected);
  addAll(Into.DataRacyMacros, D.DataRacy);
  addAll(Into.LockTypes, D.LockTypes);
  addAll(Into.LockPassThrough, D.PassThrough);

  for (const LockEntry &E : D.Locks) {
    llvm::Expected<LockPrimitive> P = primitive(E, /*Macro=*/false, Name);
    if (!P)
      return P.takeError();
    for (const std::string &F : E.Names)
      Into.LockFunctions[F] = *P;
  }
  for (const LockEntry &E : D.Assertions) {
    llvm::Expected<LockPrimitive> P = primitive(E, /*Macro=*/true, Name);
    if (!P)
      return P.takeError();
    for (const std::string &M : E.Names)
      Into.LockAssertMacros[M] = *P;
  }
  if (!D.LockDepMap.empty())
    Into.LockDepMap = D.LockDepMap;
  for (const std::string &M : D.Annotations.Acquires)
    Into.LockAnnotations[M] = LockOp::Acquire;
  for (const std::string &M : D.Annotations.Releases)
    Into.LockAnnotations[M] = LockOp::Release;
  for (const std::string &M : D.Annotations.MustHold)
    Into.LockAnnotations[M] = LockOp::Assert;

  addAll(Into.Allocators, D.Allocators);
  llvm::append_range(Into.AllocatorSuffixes, D.AllocatorSuffixes);
  addAll(Into.ErrorPointers, D.ErrorPointers);
  if (D.NewInode) {
    Into.NewInodeField = D.NewInode->Field;
    Into.NewInodeFlag = D.NewInode->Flag;
    addAll(Into.PublishNewInode, D.NewInode->PublishedBy);
  }
  addAll(Into.InitAttributes, D.InitAttributes);
  addAll(Into.ExitAttributes, D.ExitAttributes);
  llvm::append_range(Into.InitSections, D.InitSections);
  addAll(Into.InitFunctions, D.InitFunctions);
  for (const std::string &G : D.InitialiserNames) {
    Into.InitialiserNameSpellings.push_back(G);
    llvm::Expected<llvm::GlobPattern> P =
        llvm::GlobPattern::create(Into.InitialiserNameSpellings.back());
    if (!P)
      return bad(Name, "bad initialiser name pattern '" + G +
                           "': " + llvm::toString(P.takeError()));
    Into.InitialiserNames.push_back(std::move(*P));
  }
  addAll(Into.InitSlots, D.InitSlots);
  addAll(Into.LocklessSlots, D.LocklessSlots);
  addAll(Into.ThreadSlots, D.ThreadSlots);
  if (D.Sysctl) {
    Into.SysctlTable = D.Sysctl->Table;
    Into.SysctlData = D.Sysctl->Data;
    Into.SysctlName = D.Sysctl->Name;
    Into.SysctlHandler = D.Sysctl->Handler;
    Into.SysctlMode = D.Sysctl->Mode;
    addAll(Into.SysctlMarkingHandlers, D.Sysctl->MarkingHandlers);
  }
  for (const auto *List : {&D.Publish, &D.Register})
    for (const std::string &P : *List) {
      auto [Fn, Arg] = llvm::StringRef(P).split(':');
      unsigned N = 0;
      bool HasArg = llvm::StringRef(P).contains(':');
      if (Fn.trim().empty() || (HasArg && Arg.trim().getAsInteger(10, N)))
        return bad(Name, "bad publish entry '" + P +
                             "': expected a function name, or NAME:ARGUMENT");
      Into.Publish[Fn.trim()] = N;
      if (List == &D.Register)
        Into.Register.insert(Fn.trim());
    }
  for (const std::string &P : D.PublishStores) {
    auto [Macro, Arg] = llvm::StringRef(P).split(':');
    unsigned N = 0;
    if (Macro.trim().empty() || Arg.trim().getAsInteger(10, N))
      return bad(Name, "bad publish_stores entry '" + P +
                           "': expected MACRO:ARGUMENT");
    Into.PublishStores[Macro.trim()] = N;
  }
  addAll(Into.Unpublish, D.Teardown.Unpublish);
  addAll(Into.UnpublishRcu, D.Teardown.UnpublishRcu);
  addAll(Into.GracePeriod, D.Teardown.GracePeriod);
  addAll(Into.Republish, D.Teardown.Republish);
  return llvm::Error::success();
}

llvm::Expected<KernelModel> loadModel(llvm::ArrayRef<std::string> Files) {
  KernelModel M;
  for (const std::string &F : Files) {
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buf =
        llvm::MemoryBuffer::getFile(F, /*IsText=*/true);
    if (!Buf)
      return bad(F, "cannot read it: " + Buf.getError().message());
    if (llvm::Error E = parseModel((*Buf)->getBuffer(), F, M))
      return std::move(E);
  }
  return M;
}

std::string defaultModelPath(llvm::StringRef PluginPath) {
  llvm::SmallString<256> P(PluginPath);
  llvm::sys::path::remove_filename(P);
  llvm::sys::path::append(P, DefaultModelFileName);
  return std::string(P);
}

} // namespace kmark
