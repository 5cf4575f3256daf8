//===- Common.cpp - What the driver's commands share ----------------------===//
//
// The helpers of Common.h: errors and paths, the kernel model, the baseline,
// the outputs, a tree's setup for run and diff.
//
//===----------------------------------------------------------------------===//

#include "Common.h"
#include "TreeConfig.h"
#include "ExportFixes.h"
#include "Options.h"

#include "kmark/Index.h"
#include "kmark/Model.h"
#include "kmark/Serialization.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/raw_ostream.h"

#include <ctime>
#include <map>
#include <unistd.h>

#ifndef KMARK_DEFAULT_PLUGIN
#define KMARK_DEFAULT_PLUGIN ""
#endif

namespace kmark::driver {

namespace {

/// The files of the model loadDriverModel read: each TU reads exactly
/// these, and the shards' stamp names them.
std::vector<std::string> LoadedModelFiles;

/// The value git config has for Key; empty without git or the key.
std::string gitConfig(llvm::StringRef Key) {
  llvm::ErrorOr<std::string> Git = llvm::sys::findProgramByName("git");
  if (!Git)
    return "";
  llvm::SmallString<128> Out;
  int FD;
  if (llvm::sys::fs::createTemporaryFile("kmark-git", "txt", FD, Out))
    return "";
  ::close(FD);
  std::optional<llvm::StringRef> Redirects[] = {llvm::StringRef(""),
                                                llvm::StringRef(Out),
                                                llvm::StringRef("")};
  llvm::StringRef Args[] = {*Git, "config", Key};
  int RC = llvm::sys::ExecuteAndWait(*Git, Args, std::nullopt, Redirects);
  std::string Value;
  if (RC == 0)
    if (auto Buf = llvm::MemoryBuffer::getFile(Out))
      Value = (*Buf)->getBuffer().trim().str();
  (void)llvm::sys::fs::remove(Out);
  return Value;
}

/// What made a tree's shards: this kmark, the options that change
/// extraction.
std::string stampFor(llvm::StringRef Extractor) {
  llvm::sys::fs::file_status St;
  std::string Exe = Extractor.str();
  if (!llvm::sys::fs::status(Extractor, St))
    Exe += llvm::formatv(" {0} {1}", St.getSize(),
                         St.getLastModificationTime().time_since_epoch()
                             .count())
               .str();
  std::string Stamp = llvm::formatv("kmark {0} format {1}\nextractor {2}\n",
                                    KMARK_VERSION, FormatVersion, Exe)
                          .str();
  // The kernel model changes what extraction records.
  for (const std::string &F : LoadedModelFiles)
    Stamp += llvm::formatv("model {0} {1}\n", F, llvm::utohexstr(fileDigest(F)))
                 .str();
  return Stamp;
}

} // namespace

int fail(const llvm::Twine &Msg) {
  llvm::errs() << "kmark: error: " << Msg << "\n";
  return 2;
}

std::string absolutePath(llvm::StringRef P) {
  llvm::SmallString<256> A(P);
  (void)llvm::sys::fs::make_absolute(A);
  llvm::sys::path::remove_dots(A, true);
  return std::string(A);
}

std::string findPlugin(const char *Argv0) {
  if (!Plugin.empty())
    return absolutePath(Plugin);
  std::string Exe = llvm::sys::fs::getMainExecutable(
      Argv0, reinterpret_cast<void *>(&findPlugin));
  llvm::SmallString<256> Dir(llvm::sys::path::parent_path(Exe));
  for (const char *Rel : {"../lib/libkmark.so", "../../lib/libkmark.so",
                          "../lib/kmark/libkmark.so"}) {
    llvm::SmallString<256> P(Dir);
    llvm::sys::path::append(P, Rel);
    llvm::sys::path::remove_dots(P, true);
    if (llvm::sys::fs::exists(P))
      return std::string(P);
  }
  return KMARK_DEFAULT_PLUGIN;
}

std::unique_ptr<FactSet> mergeShards(const std::vector<std::string> &Inputs,
                                     llvm::StringRef Root, unsigned &Bad,
                                     size_t &NumShards) {
  std::vector<std::string> Files;
  for (const std::string &In : Inputs) {
    if (llvm::sys::fs::is_directory(In)) {
      std::error_code EC;
      for (llvm::sys::fs::directory_iterator It(In, EC), End;
           It != End && !EC; It.increment(EC))
        if (llvm::StringRef(It->path()).ends_with(".kms"))
          Files.push_back(It->path());
    } else {
      Files.push_back(In);
    }
  }
  MergeStats Stats;
  std::unique_ptr<FactSet> Out = mergeShardFiles(std::move(Files), Root, Stats);
  for (const std::string &P : Stats.Problems)
    llvm::errs() << "kmark: warning: " << P << "\n";
  Bad = Stats.Problems.size();
  NumShards = Stats.Shards;
  return Out;
}

int applyTreeConfig(llvm::StringRef Root) {
  llvm::Expected<TreeConfig> Read = readTreeConfig(absolutePath(Root));
  if (!Read)
    return fail(llvm::toString(Read.takeError()));
  const TreeConfig &C = *Read;
  // The command line wins; else what the tree's .clang-tidy says.
  if (!ModelFile.getNumOccurrences())
    if (const std::optional<std::string> &M = C.KernelModel)
      ModelFile = *M;
  if (!ModelExtensions.getNumOccurrences())
    for (const std::string &E : C.ModelExtensions)
      ModelExtensions.push_back(E);
  if (!MinConfidence.getNumOccurrences())
    if (const std::optional<std::string> &M = C.MinConfidence)
      MinConfidence = *M;
  if (!Headers.getNumOccurrences())
    if (const std::optional<bool> &H = C.CheckHeaders)
      Headers = *H;
  return 0;
}

const KernelModel *loadDriverModel(const char *Argv0) {
  static std::unique_ptr<KernelModel> Loaded;
  if (Loaded)
    return Loaded.get();
  std::vector<std::string> &Files = LoadedModelFiles;
  Files.clear();
  Files.push_back(ModelFile.empty() ? defaultModelPath(findPlugin(Argv0))
                                    : absolutePath(ModelFile));
  for (const std::string &E : ModelExtensions)
    Files.push_back(absolutePath(E));
  llvm::Expected<KernelModel> M = loadModel(Files);
  if (!M) {
    fail(llvm::toString(M.takeError()));
    return nullptr;
  }
  Loaded = std::make_unique<KernelModel>(std::move(*M));
  return Loaded.get();
}

int writePatches(std::vector<Patch> &Patches) {
  std::string Author = From;
  if (Author.empty()) {
    std::string Name = gitConfig("user.name"), Mail = gitConfig("user.email");
    Author = Name.empty() || Mail.empty()
                 ? std::string("kmark <kmark@localhost>")
                 : Name + " <" + Mail + ">";
  }
  char Date[64];
  std::time_t Now = std::time(nullptr);
  std::strftime(Date, sizeof(Date), "%a, %d %b %Y %H:%M:%S %z",
                std::localtime(&Now));
  if (std::error_code EC = llvm::sys::fs::create_directories(PatchDir))
    return fail("cannot create " + PatchDir + ": " + EC.message());
  unsigned N = 0;
  for (Patch &P : Patches) {
    if (SignOff) {
      // In the trailers' block when the body ends with one.
      llvm::StringRef Last =
          llvm::StringRef(P.Body).rtrim('\n').rsplit('\n').second;
      bool Trailer = Last.contains("-by: ") || Last.starts_with("Closes: ") ||
                     Last.starts_with("Link: ");
      P.Body += (Trailer ? "" : "\n") + ("Signed-off-by: " + Author + "\n");
    }
    ++N;
    std::string Slug;
    for (char C : P.Subject)
      Slug += llvm::isAlnum(C) ? C : '-';
    while (llvm::StringRef(Slug).contains("--"))
      Slug = llvm::join(llvm::split(Slug, "--"), "-");
    std::string Name = llvm::formatv("{0:4}-{1}.patch", N,
                                     llvm::StringRef(Slug).take_front(52)
                                         .trim('-'))
                           .str();
    llvm::SmallString<256> Path(PatchDir);
    llvm::sys::path::append(Path, Name);
    std::string Text;
    llvm::raw_string_ostream OS(Text);
    writeMail(OS, P, N, Patches.size(), Author, Date);
    if (llvm::Error E = writeFileAtomically(Path, Text))
      return fail(llvm::toString(std::move(E)));
    if (!Quiet)
      llvm::errs() << "kmark: wrote " << Path << "\n";
  }
  return 0;
}

std::optional<Baseline> LoadedBaseline;

bool loadBaselineOrFail() {
  if (BaselineFile.empty())
    return true;
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buf =
      llvm::MemoryBuffer::getFile(BaselineFile);
  if (!Buf) {
    fail("cannot read baseline " + BaselineFile + ": " +
         Buf.getError().message());
    return false;
  }
  llvm::Expected<Baseline> B =
      Baseline::parse((*Buf)->getBuffer(), BaselineFile);
  if (!B) {
    fail(llvm::toString(B.takeError()));
    return false;
  }
  LoadedBaseline = std::move(*B);
  return true;
}

int writeFixesAndSarif(llvm::ArrayRef<Finding> Findings, SourceCache &Sources,
                       llvm::StringRef MainSourceFile,
                       llvm::ArrayRef<Finding> ForSarif) {
  if (!ExportFixes.empty()) {
    std::string Text;
    llvm::raw_string_ostream OS(Text);
    writeExportFixes(OS, Findings, Sources, MainSourceFile);
    if (llvm::Error E = writeFileAtomically(ExportFixes, Text))
      return fail(llvm::toString(std::move(E)));
  }
  if (!Sarif.empty()) {
    std::string Text;
    llvm::raw_string_ostream OS(Text);
    writeSarif(OS, LoadedBaseline ? ForSarif : Findings, Sources,
               KMARK_VERSION, LoadedBaseline ? &*LoadedBaseline : nullptr);
    if (llvm::Error E = writeFileAtomically(Sarif, Text))
      return fail(llvm::toString(std::move(E)));
  }
  return 0;
}

int emit(std::vector<Finding> &All, SourceCache &Sources,
         llvm::StringRef MainSourceFile) {
  // Findings in the baseline are counted, not reported (SARIF keeps
  // them, marked); without one, All is what is reported.
  std::vector<Finding> New;
  unsigned Baselined = 0;
  if (LoadedBaseline)
    for (const Finding &F : All) {
      if (LoadedBaseline->contains(F))
        ++Baselined;
      else
        New.push_back(F);
    }
  const std::vector<Finding> &Findings = LoadedBaseline ? New : All;
  for (const Finding &F : Findings)
    renderText(llvm::outs(), F, Sources);
  if (int Status = writeFixesAndSarif(Findings, Sources, MainSourceFile, All))
    return Status;
  if (!PatchDir.empty()) {
    std::vector<Patch> Patches = makePatches(Findings, Sources, subjectPrefix);
    if (int Status = writePatches(Patches))
      return Status;
  }
  if (!Quiet) {
    std::map<std::string, unsigned> ByField;
    for (const Finding &F : Findings)
      ++ByField[fieldName(F.Site->Field).str()];
    llvm::errs() << llvm::formatv("kmark: {0} finding{1} in {2} field{3}",
                                  Findings.size(),
                                  Findings.size() == 1 ? "" : "s",
                                  ByField.size(),
                                  ByField.size() == 1 ? "" : "s");
    unsigned Shown = 0;
    for (auto &[Field, N] : ByField) {
      if (Shown++ == 8) {
        llvm::errs() << ", ...";
        break;
      }
      llvm::errs() << (Shown == 1 ? ": " : ", ") << Field << " (" << N << ")";
    }
    if (LoadedBaseline)
      llvm::errs() << llvm::formatv("; {0} in the baseline, not shown",
                                    Baselined);
    llvm::errs() << "\n";
  }
  return Findings.empty() ? 0 : 1;
}

std::vector<const Access *> candidatesIn(const Index &Idx,
                                         const llvm::StringSet<> &Files,
                                         const std::vector<std::string> &Dirs,
                                         bool WithHeaders) {
  std::vector<const Access *> C;
  for (const FileFacts *F : Idx.files()) {
    bool Take = Files.contains(F->Path) ||
                (WithHeaders && !llvm::StringRef(F->Path).ends_with(".c") &&
                 underAny(F->Path, Dirs));
    if (!Take)
      continue;
    for (const Access &A : F->Accesses)
      if (A.Mark == Marking::Plain)
        C.push_back(&A);
  }
  return C;
}

std::optional<Setup> setup(const char *Argv0, int &Status) {
  Setup S;
  Status = 2;
  S.Root = absolutePath(BuildPath);
  std::optional<unsigned> T = parseConfidence(MinConfidence);
  if (!T) {
    fail("invalid --min-confidence '" + MinConfidence +
         "': expected low, medium, high or a number from 0 to 100");
    return std::nullopt;
  }
  S.Threshold = *T;
  if (!loadDriverModel(Argv0))
    return std::nullopt;
  auto DB = CompileDatabase::load(S.Root);
  if (!DB) {
    fail(llvm::toString(DB.takeError()));
    return std::nullopt;
  }
  S.DB = std::move(*DB);
  S.IndexDir = IndexDir.empty() ? S.Root + "/.kmark" : absolutePath(IndexDir);
  S.ShardDir = S.IndexDir + "/shards";
  S.IndexPath = S.IndexDir + "/index.kmi";
  S.Self = llvm::sys::fs::getMainExecutable(
      Argv0, reinterpret_cast<void *>(&findPlugin));
  // Shards made by another kmark build or with other extraction options
  // are not reused: the stamp says what made them.
  std::string Stamp = stampFor(S.Self);
  std::string StampPath = S.IndexDir + "/stamp";
  auto Old = llvm::MemoryBuffer::getFile(StampPath);
  if (!Old || (*Old)->getBuffer() != Stamp) {
    (void)llvm::sys::fs::remove_directories(S.ShardDir);
    if (std::error_code EC = llvm::sys::fs::create_directories(S.ShardDir)) {
      fail("cannot create " + S.ShardDir + ": " + EC.message());
      return std::nullopt;
    }
    if (llvm::Error E = writeFileAtomically(StampPath, Stamp)) {
      fail(llvm::toString(std::move(E)));
      return std::nullopt;
    }
  }
  Status = 0;
  return S;
}

RunOptions runOptions(const Setup &S) {
  RunOptions R;
  R.Self = S.Self;
  R.ShardDir = S.ShardDir;
  R.Jobs = Jobs ? Jobs : llvm::hardware_concurrency().compute_thread_count();
  R.Quiet = Quiet;
  R.Models = LoadedModelFiles; // each TU reads exactly this driver's model
  return R;
}

void reportSkipped(const std::vector<TUResult> &Results) {
  for (const TUResult &R : Results)
    if (!R.Ok && !R.UpToDate)
      llvm::errs() << "kmark: skipped " << R.File << ": " << R.Why << "\n";
}

std::unique_ptr<FactSet> loadIndexOrFail(int &Status) {
  auto Set = std::make_unique<FactSet>();
  if (llvm::Error E = readFactsFile(IndexFile, FactsKind::Index, *Set)) {
    Status = fail(llvm::toString(std::move(E)));
    return nullptr;
  }
  return Set;
}

} // namespace kmark::driver
