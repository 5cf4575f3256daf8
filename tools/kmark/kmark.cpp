//===- kmark.cpp - The kmark driver ---------------------------------------===//
//
// Runs the kmark checks over a compile database the way kernel CI needs:
// every TU parsed once, in-process by a child `kmark extract` (in parallel,
// with a progress line), the shards merged into the tree's index without
// parsing, then the findings reported as text, export-fixes YAML, SARIF and
// patches.  The extraction is the plugin's library, without clang-tidy.
//
//   kmark run   -p BUILD [PATH...]        check a tree or part of it
//   kmark diff  -p BUILD < change.patch   check only the lines a patch changes
//   kmark merge -o INDEX SHARD|DIR...     merge shards into an index
//   kmark query FIELD                     all accesses of a field, as evidence
//   kmark report [PATH...]                findings from an existing index
//
// Exit status: 0 no findings at or above the threshold, 1 findings, 2 error.
//
//===----------------------------------------------------------------------===//

#include "Driver.h"
#include "ExportFixes.h"

#include "kmark/Baseline.h"
#include "kmark/Index.h"
#include "kmark/Kcsan.h"
#include "kmark/KcsanMatch.h"
#include "kmark/Model.h"
#include "kmark/Report.h"
#include "kmark/Rules.h"
#include "kmark/Serialization.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/Threading.h"

#include <chrono>
#include <ctime>
#include <fcntl.h>
#include <map>
#include <sys/file.h>
#include <unistd.h>

using namespace kmark;
using namespace kmark::driver;
namespace cl = llvm::cl;

#ifndef KMARK_VERSION
#define KMARK_VERSION "0.0.0"
#endif
#ifndef KMARK_DEFAULT_PLUGIN
#define KMARK_DEFAULT_PLUGIN ""
#endif

static cl::OptionCategory Cat("kmark options");

static cl::SubCommand RunCmd("run", "Check a tree: parse every TU once, "
                                    "merge the index, report the findings");
static cl::SubCommand DiffCmd("diff", "Check the lines a patch changes "
                                      "against the tree's index (patch on "
                                      "standard input)");
static cl::SubCommand MergeCmd("merge", "Merge shards into an index");
static cl::SubCommand QueryCmd("query", "Print every access of a field, "
                                        "marked and plain, with its context");
static cl::SubCommand ReportCmd("report", "Report findings from an existing "
                                          "index, without parsing");
static cl::SubCommand DumpCmd("dump", "Print every fact of an index as "
                                      "tab-separated lines, for scripts");
// Listed for --help only: kmark check takes the compiler's flags, which no
// option parser knows, and is dispatched before parsing (checkMain).
static cl::SubCommand CheckCmd("check",
                               "kbuild's $(CHECK): make C=1 CHECK=\"kmark "
                               "check\" checks each file it compiles, with "
                               "its flags (see kmark check --help)");
static cl::SubCommand BaselineCmd("baseline",
                                  "Write or update a baseline: the findings "
                                  "a maintainer has looked at, which runs "
                                  "given --baseline do not report");
static cl::SubCommand KcsanCmd("kcsan", "Resolve KCSAN reports against the "
                                        "tree's index: the field, both "
                                        "sites, the verdict, the fix-its");

static cl::opt<std::string> BuildPath(
    "p", cl::desc("Directory with compile_commands.json (the tree's root)"),
    cl::value_desc("build-path"), cl::init("."), cl::sub(RunCmd),
    cl::sub(DiffCmd), cl::sub(KcsanCmd), cl::cat(Cat));
static cl::list<std::string> Paths(cl::Positional,
                                   cl::desc("[file or directory...]"),
                                   cl::sub(RunCmd), cl::sub(ReportCmd),
                                   cl::sub(BaselineCmd), cl::cat(Cat));
static cl::opt<std::string> IndexDir(
    "index-dir",
    cl::desc("Where shards and the merged index live (default: "
             "<build-path>/.kmark)"),
    cl::sub(RunCmd), cl::sub(DiffCmd), cl::sub(KcsanCmd), cl::cat(Cat));
static cl::opt<std::string> IndexFile(
    "index", cl::desc("The merged index to read (default: .kmark/index.kmi)"),
    cl::init(".kmark/index.kmi"), cl::sub(QueryCmd), cl::sub(ReportCmd),
    cl::sub(DumpCmd), cl::sub(BaselineCmd), cl::cat(Cat));
static cl::opt<std::string> RootDir(
    "root", cl::desc("Directory the index's paths are relative to "
                     "(default: the current directory)"),
    cl::init("."), cl::sub(QueryCmd), cl::sub(ReportCmd),
    cl::sub(BaselineCmd), cl::cat(Cat));
static cl::opt<unsigned> Jobs("j", cl::desc("Translation units in parallel"),
                              cl::init(0), cl::sub(RunCmd), cl::sub(DiffCmd),
                              cl::cat(Cat));
static cl::opt<std::string> MinConfidence(
    "min-confidence",
    cl::desc("Report findings at or above: low, medium, high or 0-100 "
             "(default: medium)"),
    cl::init("medium"), cl::sub(RunCmd), cl::sub(DiffCmd), cl::sub(ReportCmd),
    cl::sub(BaselineCmd), cl::cat(Cat));
static cl::opt<std::string> ExportFixes(
    "export-fixes",
    cl::desc("Write the fix-its as clang-tidy's YAML (for "
             "clang-apply-replacements)"),
    cl::value_desc("file.yaml"), cl::sub(RunCmd), cl::sub(DiffCmd),
    cl::sub(ReportCmd), cl::sub(KcsanCmd), cl::cat(Cat));
static cl::opt<std::string> Sarif("sarif", cl::desc("Write SARIF 2.1.0"),
                                  cl::value_desc("file.sarif"),
                                  cl::sub(RunCmd), cl::sub(DiffCmd),
                                  cl::sub(ReportCmd), cl::sub(KcsanCmd), cl::cat(Cat));
static cl::opt<std::string> PatchDir(
    "patches",
    cl::desc("Write one git format-patch mail per field into this directory"),
    cl::sub(RunCmd), cl::sub(ReportCmd), cl::sub(KcsanCmd), cl::cat(Cat));
static cl::opt<bool> SignOff("signoff",
                             cl::desc("Add Signed-off-by from --from or git "
                                      "config to the patches"),
                             cl::sub(RunCmd), cl::sub(ReportCmd),
                             cl::sub(KcsanCmd), cl::cat(Cat));
static cl::opt<std::string> From(
    "from", cl::desc("Author of the patches (default: git config user)"),
    cl::sub(RunCmd), cl::sub(ReportCmd), cl::sub(KcsanCmd), cl::cat(Cat));
static cl::opt<bool> Headers(
    "headers",
    cl::desc("Also report findings in headers below the given paths"),
    cl::sub(RunCmd), cl::sub(ReportCmd), cl::sub(BaselineCmd), cl::cat(Cat));
static cl::opt<bool> Quiet("quiet", cl::desc("No progress, no summary"),
                           cl::sub(RunCmd), cl::sub(DiffCmd),
                           cl::sub(ReportCmd), cl::sub(KcsanCmd),
                           cl::sub(BaselineCmd), cl::cat(Cat));
static cl::opt<bool> Force("force",
                           cl::desc("Re-parse every TU even when its shard is "
                                    "up to date"),
                           cl::sub(RunCmd), cl::cat(Cat));
static cl::opt<std::string> Plugin("plugin",
                                   cl::desc("Path of libkmark.so (the kernel "
                                            "model is read from beside it)"),
                                   cl::sub(RunCmd), cl::sub(DiffCmd),
                                   cl::cat(Cat));
static cl::opt<std::string> ModelFile(
    "model",
    cl::desc("The kernel model to use instead of the one beside the plugin"),
    cl::value_desc("model.yaml"), cl::sub(RunCmd), cl::sub(DiffCmd),
    cl::sub(QueryCmd), cl::sub(ReportCmd), cl::sub(DumpCmd), cl::sub(KcsanCmd),
    cl::sub(BaselineCmd), cl::cat(Cat));
static cl::list<std::string> ModelExtensions(
    "model-extension",
    cl::desc("A file that extends the kernel model: a subsystem's lock "
             "wrappers, allocators, slots (repeatable)"),
    cl::value_desc("extra.yaml"), cl::sub(RunCmd), cl::sub(DiffCmd),
    cl::sub(QueryCmd), cl::sub(ReportCmd), cl::sub(DumpCmd), cl::sub(KcsanCmd),
    cl::sub(BaselineCmd), cl::cat(Cat));
static cl::opt<std::string> BaselineFile(
    "baseline",
    cl::desc("Do not report the findings this file lists (kmark baseline "
             "writes it); SARIF marks results new, unchanged or absent"),
    cl::value_desc("baseline.json"), cl::sub(RunCmd), cl::sub(DiffCmd),
    cl::sub(ReportCmd), cl::cat(Cat));
static cl::opt<std::string> BaselineOut(
    "o", cl::desc("The baseline to write; an existing one is updated, "
                  "keeping its reasons"),
    cl::value_desc("baseline.json"), cl::Required, cl::sub(BaselineCmd),
    cl::cat(Cat));
static cl::opt<std::string> BaselineReason(
    "reason", cl::desc("Why the findings new to the baseline are fine"),
    cl::sub(BaselineCmd), cl::cat(Cat));
static cl::opt<std::string> StatsFile(
    "stats", cl::desc("Write per-TU CPU time and peak RSS as JSON"),
    cl::sub(RunCmd), cl::cat(Cat));
static cl::opt<unsigned> Strip("strip",
                               cl::desc("Leading path components to strip "
                                        "from the patch (like patch -p)"),
                               cl::init(1), cl::sub(DiffCmd), cl::cat(Cat));
static cl::opt<std::string> MergeOut("o", cl::desc("Output index"),
                                     cl::value_desc("index.kmi"),
                                     cl::Required, cl::sub(MergeCmd),
                                     cl::cat(Cat));
static cl::list<std::string> MergeInputs(cl::Positional, cl::OneOrMore,
                                         cl::desc("<shard or directory>..."),
                                         cl::sub(MergeCmd), cl::cat(Cat));
static cl::opt<std::string> QueryField(cl::Positional, cl::Required,
                                       cl::desc("<record::field or field>"),
                                       cl::sub(QueryCmd), cl::cat(Cat));
static cl::opt<bool> QueryJson("json", cl::desc("Print JSON"),
                               cl::sub(QueryCmd), cl::cat(Cat));
static cl::list<std::string> KcsanInputs(cl::Positional,
                                         cl::desc("[report file or - ...]"),
                                         cl::sub(KcsanCmd), cl::cat(Cat));
static cl::list<std::string> FixesTag(
    "fixes",
    cl::desc("A Fixes: trailer for the patches: 12 digits of the commit "
             "and its subject in (\"...\")"),
    cl::value_desc("commit"), cl::sub(KcsanCmd), cl::cat(Cat));
static cl::list<std::string> ReportedBy(
    "reported-by",
    cl::desc("A Reported-by: trailer for the patches (repeatable)"),
    cl::value_desc("Name <mail>"), cl::sub(KcsanCmd), cl::cat(Cat));
static cl::list<std::string> Closes(
    "closes", cl::desc("A Closes: trailer for the patches (repeatable)"),
    cl::value_desc("url"), cl::sub(KcsanCmd), cl::cat(Cat));

namespace kmark::driver {
/// Findings at or above the threshold that no NOLINT comment suppresses.
std::vector<Finding> selectFindings(std::vector<Finding> All,
                                    unsigned Threshold, SourceCache &Sources) {
  std::vector<Finding> Out;
  for (Finding &F : All)
    if (F.Confidence >= Threshold &&
        !isSuppressed(Sources, F.Site->File, F.Site->Line, F.Site->Col,
                      checkName(F.Check)))
      Out.push_back(std::move(F));
  // Grouped by field, then by place.
  llvm::sort(Out, [](const Finding &A, const Finding &B) {
    return std::tie(A.Site->Field, A.Site->File, A.Site->Begin, A.Check) <
           std::tie(B.Site->Field, B.Site->File, B.Site->Begin, B.Check);
  });
  return Out;
}
} // namespace kmark::driver

namespace {

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

/// The plugin next to this executable's build or install location.
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

/// An exclusive lock on a file, released on destruction: two runs that
/// share an index directory merge one after the other.
class FileLock {
public:
  explicit FileLock(llvm::StringRef Path) {
    FD = ::open(Path.str().c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (FD >= 0)
      ::flock(FD, LOCK_EX);
  }
  ~FileLock() {
    if (FD >= 0) {
      ::flock(FD, LOCK_UN);
      ::close(FD);
    }
  }
  FileLock(const FileLock &) = delete;
  FileLock &operator=(const FileLock &) = delete;

private:
  int FD = -1;
};

/// Merges every shard (*.kms) under the inputs and the header shards they
/// refer to; reports what could not be read.
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

bool underAny(llvm::StringRef File, const std::vector<std::string> &Prefixes) {
  if (Prefixes.empty())
    return true;
  for (const std::string &P : Prefixes) {
    llvm::StringRef Rest = File;
    if (Rest.consume_front(P) &&
        (Rest.empty() || Rest.starts_with("/") || llvm::StringRef(P).ends_with("/")))
      return true;
  }
  return false;
}

/// The kernel model: the file beside the plugin, or --model, extended by
/// every --model-extension.  Read once; a model that cannot be read is an
/// error (exit status 2), never an empty model.
std::vector<std::string> LoadedModelFiles;

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

/// Leaves out the findings in files that changed since the index recorded
/// them, saying so: their offsets are stale, and an edit there would land
/// in the wrong place.
void dropStale(std::vector<Finding> &Findings, const Index &Idx,
               SourceCache &Sources) {
  llvm::StringMap<bool> Stale;
  for (const Finding &F : Findings)
    Stale.try_emplace(F.Site->File, false);
  if (Stale.empty())
    return;
  llvm::StringMap<std::vector<uint64_t>> Known;
  for (const FileFacts *F : Idx.files())
    if (Stale.contains(F->Path))
      Known[F->Path].push_back(F->Digest);
  for (auto &[Path, IsStale] : Stale) {
    uint64_t Now = fileDigest(Sources.absolute(Path));
    IsStale = !llvm::is_contained(Known[Path], Now);
  }
  std::map<std::string, unsigned> Dropped;
  llvm::erase_if(Findings, [&](const Finding &F) {
    if (!Stale.lookup(F.Site->File))
      return false;
    ++Dropped[F.Site->File.str()];
    return true;
  });
  for (const auto &[Path, N] : Dropped)
    llvm::errs() << llvm::formatv(
        "kmark: warning: {0} changed since it was indexed: its {1} finding{2} "
        "left out (kmark run parses it again)\n",
        Path, N, N == 1 ? " is" : "s are");
}

/// Writes the patches as git format-patch mails into --patches.
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

/// The baseline --baseline names, read before any work is done.
std::optional<Baseline> LoadedBaseline;

/// Reads --baseline if given; false (and a message) if it cannot be used.
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

/// Writes --export-fixes and --sarif when asked; 0, or 2 on an error.
/// SARIF gets every finding, baselined ones marked so.
int writeFixesAndSarif(llvm::ArrayRef<Finding> Findings, SourceCache &Sources,
                       llvm::StringRef MainSourceFile,
                       llvm::ArrayRef<Finding> ForSarif = {}) {
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

/// Writes the outputs the options ask for; returns the exit status.
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
      ++ByField[F.Site->Field.str()];
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

struct Setup {
  std::string Root, IndexDir, ShardDir, IndexPath;
  std::string Self; ///< this executable: it extracts each TU's facts
  std::vector<CompileEntry> Entries;
  unsigned Threshold = MediumConfidence;
};

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
  auto DB = loadDatabase(S.Root);
  if (!DB) {
    fail(llvm::toString(DB.takeError()));
    return std::nullopt;
  }
  S.Entries = std::move(*DB);
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

int runMain(const char *Argv0) {
  int Status;
  std::optional<Setup> S = setup(Argv0, Status);
  if (!S)
    return Status;
  const KernelModel *Model = loadDriverModel(Argv0);
  auto Start = std::chrono::steady_clock::now();

  std::vector<std::string> Dirs;
  for (const std::string &P : Paths)
    Dirs.push_back(canonicalPath(absolutePath(P), "", S->Root));
  std::vector<CompileEntry> Selected;
  for (const CompileEntry &E : S->Entries) {
    llvm::StringRef Ext = llvm::sys::path::extension(E.File);
    if (Ext != ".c" && Ext != ".cc" && Ext != ".cpp" && Ext != ".cxx")
      continue;
    if (underAny(canonicalPath(E.File, E.Directory, S->Root), Dirs))
      Selected.push_back(E);
  }
  if (Selected.empty())
    return fail("no translation unit of " + S->Root +
                "/compile_commands.json is below the given paths");

  // Parse what is stale.
  std::vector<CompileEntry> ToParse;
  std::vector<TUResult> Results;
  for (const CompileEntry &E : Selected) {
    std::string Main = canonicalPath(E.File, E.Directory, S->Root);
    if (!Force &&
        shardIsFresh(shardPathFor(S->ShardDir, Main), S->Root, S->Self)) {
      TUResult R;
      R.File = E.File;
      R.Ok = R.UpToDate = true;
      Results.push_back(R);
    } else {
      ToParse.push_back(E);
    }
  }
  RunOptions RO = runOptions(*S);
  std::vector<TUResult> Parsed = extractAll(ToParse, RO);
  reportSkipped(Parsed);
  auto Parse = std::chrono::steady_clock::now();

  // Merge every shard of the tree, not only the selected ones: evidence
  // comes from anywhere.
  unsigned Bad = 0;
  size_t NumShards = 0;
  std::unique_ptr<FactSet> Merged;
  {
    FileLock Lock(S->IndexDir + "/lock");
    Merged = mergeShards({S->ShardDir}, S->Root, Bad, NumShards);
    if (llvm::Error E = writeFileAtomically(
            S->IndexPath, encodeFacts(FactsKind::Index, *Merged)))
      return fail(llvm::toString(std::move(E)));
  }
  auto Merge = std::chrono::steady_clock::now();

  Index Idx({Merged.get()});
  llvm::StringSet<> Mains;
  for (const CompileEntry &E : Selected)
    Mains.insert(canonicalPath(E.File, E.Directory, S->Root));
  Analyzer An(Idx, *Model);
  SourceCache Sources(S->Root);
  std::vector<Finding> Findings = selectFindings(
      An.analyze(candidatesIn(Idx, Mains, Dirs, Headers), S->Threshold),
      S->Threshold,
      Sources);
  auto Analyze = std::chrono::steady_clock::now();

  unsigned Failed = 0, Fresh = 0;
  double CPU = 0;
  for (const TUResult &R : Parsed) {
    Failed += !R.Ok;
    CPU += R.CPUSeconds;
  }
  for (const TUResult &R : Results)
    Fresh += R.UpToDate;
  auto Secs = [](auto A, auto B) {
    return std::chrono::duration<double>(B - A).count();
  };
  if (!StatsFile.empty()) {
    llvm::json::Array TUs;
    for (const TUResult &R : Parsed)
      TUs.push_back(llvm::json::Object{{"file", R.File},
                                       {"ok", R.Ok},
                                       {"cpu", R.CPUSeconds},
                                       {"wall", R.WallSeconds},
                                       {"rss_kib", R.PeakRSSKiB}});
    uint64_t IndexSize = 0;
    (void)llvm::sys::fs::file_size(S->IndexPath, IndexSize);
    llvm::json::Object Stats{{"tus", std::move(TUs)},
                             {"parse_wall", Secs(Start, Parse)},
                             {"merge_wall", Secs(Parse, Merge)},
                             {"analyze_wall", Secs(Merge, Analyze)},
                             {"index_bytes", IndexSize},
                             {"shards", NumShards},
                             {"accesses", Idx.numAccesses()}};
    std::string Text;
    llvm::raw_string_ostream OS(Text);
    OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Stats)));
    if (llvm::Error E = writeFileAtomically(StatsFile, Text))
      return fail(llvm::toString(std::move(E)));
  }
  if (!Quiet)
    llvm::errs() << llvm::formatv(
        "kmark: {0} translation units: {1} parsed ({2} skipped), {3} up to "
        "date; parse {4:f1}s wall {5:f1}s CPU, merge of {6} shards {7:f2}s, "
        "analysis {8:f2}s\n",
        Selected.size(), Parsed.size(), Failed, Fresh, Secs(Start, Parse), CPU,
        NumShards, Secs(Parse, Merge), Secs(Merge, Analyze));
  return emit(Findings, Sources, S->Root);
}

/// Changed line ranges per file, from a unified diff.
std::map<std::string, std::vector<std::pair<unsigned, unsigned>>>
parsePatch(llvm::StringRef Text, unsigned StripN) {
  std::map<std::string, std::vector<std::pair<unsigned, unsigned>>> Out;
  std::string Current;
  for (llvm::StringRef Line : llvm::split(Text, "\n")) {
    if (Line.starts_with("+++ ")) {
      llvm::StringRef P = Line.drop_front(4).split('\t').first.trim();
      if (P == "/dev/null") {
        Current.clear();
        continue;
      }
      for (unsigned I = 0; I < StripN && P.contains('/'); ++I)
        P = P.split('/').second;
      Current = P.str();
      continue;
    }
    if (Line.starts_with("@@ ") && !Current.empty()) {
      // @@ -a,b +c,d @@
      llvm::StringRef Plus = Line.split('+').second.split(' ').first;
      auto [StartS, LenS] = Plus.split(',');
      unsigned Start = 0, Len = 1;
      if (StartS.getAsInteger(10, Start))
        continue;
      if (!LenS.empty() && LenS.getAsInteger(10, Len))
        continue;
      if (Len)
        Out[Current].emplace_back(Start, Start + Len - 1);
    }
  }
  return Out;
}

int diffMain(const char *Argv0) {
  int Status;
  std::optional<Setup> S = setup(Argv0, Status);
  if (!S)
    return Status;
  const KernelModel *Model = loadDriverModel(Argv0);
  auto Input = llvm::MemoryBuffer::getSTDIN();
  if (!Input)
    return fail("cannot read the patch from standard input");
  auto Changed = parsePatch((*Input)->getBuffer(), Strip);

  // The tree's index, as the base.
  auto Base = std::make_unique<FactSet>();
  if (llvm::Error E = readFactsFile(S->IndexPath, FactsKind::Index, *Base)) {
    llvm::errs() << "kmark: warning: " << llvm::toString(std::move(E))
                 << "; run 'kmark run' on the base tree first; checking the "
                    "patch with its own TUs only\n";
    Base = std::make_unique<FactSet>();
  }
  // TUs the patch touches: changed main files, and TUs that read a changed
  // header.
  llvm::StringSet<> ChangedFiles;
  for (auto &[F, Ranges] : Changed)
    ChangedFiles.insert(F);
  llvm::StringSet<> Touched;
  for (const TUEntry &TU : Base->TUs)
    for (llvm::StringRef F : TU.Files)
      if (ChangedFiles.contains(F))
        Touched.insert(TU.MainFile);
  std::vector<CompileEntry> ToParse;
  for (const CompileEntry &E : S->Entries) {
    std::string Main = canonicalPath(E.File, E.Directory, S->Root);
    if (ChangedFiles.contains(Main) || Touched.contains(Main))
      ToParse.push_back(E);
  }
  llvm::SmallString<128> Tmp;
  if (std::error_code EC =
          llvm::sys::fs::createUniqueDirectory("kmark-diff", Tmp))
    return fail("cannot create a temporary directory: " + EC.message());
  RunOptions RO = runOptions(*S);
  RO.ShardDir = std::string(Tmp);
  std::vector<TUResult> Parsed = extractAll(ToParse, RO);
  reportSkipped(Parsed);
  unsigned Bad = 0;
  size_t NumShards = 0;
  std::unique_ptr<FactSet> Fresh =
      mergeShards({std::string(Tmp)}, S->Root, Bad, NumShards);
  (void)llvm::sys::fs::remove_directories(Tmp);

  Index Idx({Base.get(), Fresh.get()});
  std::vector<const Access *> Candidates;
  for (const FileFacts *F : Idx.files()) {
    auto It = Changed.find(F->Path.str());
    if (It == Changed.end())
      continue;
    for (const Access &A : F->Accesses)
      if (A.Mark == Marking::Plain)
        for (auto [Lo, Hi] : It->second)
          if (A.Line >= Lo && A.Line <= Hi) {
            Candidates.push_back(&A);
            break;
          }
  }
  Analyzer An(Idx, *Model);
  SourceCache Sources(S->Root);
  std::vector<Finding> Findings =
      selectFindings(An.analyze(Candidates, S->Threshold), S->Threshold,
                     Sources);
  if (!Quiet)
    llvm::errs() << llvm::formatv("kmark: the patch touches {0} files; {1} "
                                  "translation units re-parsed\n",
                                  Changed.size(), Parsed.size());
  return emit(Findings, Sources, S->Root);
}

int mergeMain() {
  unsigned Bad = 0;
  size_t NumShards = 0;
  auto Start = std::chrono::steady_clock::now();
  std::unique_ptr<FactSet> Merged =
      mergeShards(MergeInputs, absolutePath("."), Bad, NumShards);
  if (llvm::Error E = writeFileAtomically(
          MergeOut, encodeFacts(FactsKind::Index, *Merged)))
    return fail(llvm::toString(std::move(E)));
  double Secs = std::chrono::duration<double>(
                    std::chrono::steady_clock::now() - Start)
                    .count();
  llvm::errs() << llvm::formatv("kmark: merged {0} shards ({1} unreadable) "
                                "into {2}: {3} files, {4:f2}s\n",
                                NumShards, Bad, MergeOut,
                                Merged->Files.size(), Secs);
  return Bad ? 2 : 0;
}

std::unique_ptr<FactSet> loadIndexOrFail(int &Status) {
  auto Set = std::make_unique<FactSet>();
  if (llvm::Error E = readFactsFile(IndexFile, FactsKind::Index, *Set)) {
    Status = fail(llvm::toString(std::move(E)));
    return nullptr;
  }
  return Set;
}

int queryMain(const char *Argv0) {
  const KernelModel *Model = loadDriverModel(Argv0);
  if (!Model)
    return 2;
  int Status = 0;
  std::unique_ptr<FactSet> Set = loadIndexOrFail(Status);
  if (!Set)
    return Status;
  Index Idx({Set.get()});
  // Fields named exactly, or every record's field of that name.
  std::vector<std::string> Fields;
  llvm::StringSet<> Seen;
  for (const FileFacts *F : Idx.files())
    for (const Access &A : F->Accesses)
      if ((A.Field == QueryField ||
           (!llvm::StringRef(QueryField).contains("::") &&
            A.Field.ends_with("::" + QueryField))) &&
          Seen.insert(A.Field).second)
        Fields.push_back(A.Field.str());
  llvm::sort(Fields);
  if (Fields.empty()) {
    llvm::errs() << "kmark: no access of '" << QueryField
                 << "' in the index\n";
    return 1;
  }
  Analyzer An(Idx, *Model);
  llvm::json::Array J;
  for (const std::string &Field : Fields) {
    std::vector<const Access *> As(Idx.accessesOf(Field).begin(),
                                   Idx.accessesOf(Field).end());
    llvm::sort(As, [](const Access *A, const Access *B) {
      return std::tie(A->File, A->Line, A->Col) <
             std::tie(B->File, B->Line, B->Col);
    });
    unsigned Marked = 0;
    for (const Access *A : As)
      Marked += A->Mark != Marking::Plain;
    if (!QueryJson)
      llvm::outs() << Field << ": " << As.size() << " accesses, " << Marked
                   << " marked\n";
    for (const Access *A : As) {
      std::string Fn = A->Function.split('@').first.str();
      std::string Ctx;
      if (!A->Locks.empty())
        Ctx += "locks held: " + lockListText(A->Locks);
      llvm::StringRef Why = An.exemption(*A);
      if (!Why.empty())
        Ctx += (Ctx.empty() ? "" : "; ") + Why.str();
      if (QueryJson) {
        J.push_back(llvm::json::Object{
            {"field", Field},
            {"file", A->File},
            {"line", A->Line},
            {"column", A->Col},
            {"function", Fn},
            {"kind", accessKindName(A->Kind)},
            {"marking", markingName(A->Mark)},
            {"text", A->Text},
            {"context", Ctx}});
        continue;
      }
      llvm::outs() << llvm::formatv("  {0,-20} {1,-6} {2}:{3}:{4} {5}(){6}\n",
                                    markingName(A->Mark),
                                    accessKindName(A->Kind) == "read-modify-write"
                                        ? "rmw"
                                        : accessKindName(A->Kind),
                                    A->File, A->Line, A->Col, Fn,
                                    Ctx.empty() ? "" : "  [" + Ctx + "]");
    }
  }
  if (QueryJson)
    llvm::outs() << llvm::formatv("{0:2}", llvm::json::Value(std::move(J)))
                 << "\n";
  return 0;
}

/// One line per fact: "A" accesses (file, line, col, field, kind, marking,
/// function, text, flags, why exempt), "S" slot fills (ops type, slot,
/// function, holder, static), "F" functions (key, file, line, flags), "C"
/// calls (caller, callee).
/// A field of a tab-separated line: tabs and line breaks become blanks.
std::string tsv(llvm::StringRef S) {
  std::string Out = S.str();
  for (char &C : Out)
    if (C == '\t' || C == '\n' || C == '\r')
      C = ' ';
  return Out;
}

int dumpMain(const char *Argv0) {
  const KernelModel *Model = loadDriverModel(Argv0);
  if (!Model)
    return 2;
  int Status = 0;
  std::unique_ptr<FactSet> Set = loadIndexOrFail(Status);
  if (!Set)
    return Status;
  Index Idx({Set.get()});
  Analyzer An(Idx, *Model);
  for (const FileFacts *F : Idx.files()) {
    for (const Access &A : F->Accesses)
      llvm::outs() << "A\t" << A.File << "\t" << A.Line << "\t" << A.Col
                   << "\t" << A.Field << "\t" << accessKindName(A.Kind)
                   << "\t" << markingName(A.Mark) << "\t" << A.Function
                   << "\t" << tsv(A.Text) << "\t" << A.Flags << "\t"
                   << An.exemption(A) << "\t" << lockListText(A.Locks)
                   << "\t" << A.ObjectKind << "\t" << static_cast<unsigned>(A.Size)
                   << "\n";
    for (const SlotFill &S : F->Slots)
      llvm::outs() << "S\t" << S.OpsType << "\t" << S.Slot << "\t"
                   << S.Function << "\t" << S.Holder << "\t" << S.Static
                   << "\n";
    for (const Function &Fn : F->Functions)
      llvm::outs() << "F\t" << Fn.Key << "\t" << Fn.File << "\t" << Fn.Line
                   << "\t" << Fn.Flags << "\n";
    for (const SlotCall &C : F->SlotCalls)
      llvm::outs() << "I\t" << C.Caller << "\t" << C.OpsType << "\t" << C.Slot
                   << "\t" << lockListText(C.Locks) << "\n";
    for (const CallEdge &E : F->Calls)
      llvm::outs() << "C\t" << E.Caller << "\t" << E.Callee << "\t"
                   << lockListText(E.Locks) << "\t" << argListText(E.Args)
                   << "\n";
  }
  return 0;
}

/// The index --index and its findings at --min-confidence below the given
/// paths, with NOLINT applied.
struct IndexFindings {
  std::unique_ptr<FactSet> Set;
  std::optional<Index> Idx;
  std::string Root;
  std::vector<Finding> Findings;
};

/// Fills R; false (and Status) on an error.
bool indexFindings(const char *Argv0, IndexFindings &R, int &Status) {
  Status = 2;
  const KernelModel *Model = loadDriverModel(Argv0);
  if (!Model)
    return false;
  std::optional<unsigned> T = parseConfidence(MinConfidence);
  if (!T) {
    fail("invalid --min-confidence '" + MinConfidence + "'");
    return false;
  }
  R.Set = loadIndexOrFail(Status);
  if (!R.Set)
    return false;
  R.Root = absolutePath(RootDir);
  const Index &Idx = R.Idx.emplace(std::vector<const FactSet *>{R.Set.get()});
  std::vector<std::string> Dirs;
  for (const std::string &P : Paths)
    Dirs.push_back(canonicalPath(absolutePath(P), "", R.Root));
  llvm::StringSet<> Mains;
  for (const TUEntry *TU : Idx.tus())
    if (underAny(TU->MainFile, Dirs))
      Mains.insert(TU->MainFile);
  Analyzer An(Idx, *Model);
  SourceCache Sources(R.Root);
  Status = 0;
  R.Findings = selectFindings(
      An.analyze(candidatesIn(Idx, Mains, Dirs, Headers), *T), *T, Sources);
  dropStale(R.Findings, Idx, Sources);
  return true;
}

int reportMain(const char *Argv0) {
  IndexFindings R;
  int Status = 0;
  if (!indexFindings(Argv0, R, Status))
    return Status;
  SourceCache Sources(R.Root);
  return emit(R.Findings, Sources, R.Root);
}

/// kmark baseline: the findings report would print, written as a baseline
/// (an existing one is updated: its reasons stay, entries no longer found
/// go).
int baselineMain(const char *Argv0) {
  std::optional<Baseline> Old;
  if (llvm::sys::fs::exists(BaselineOut)) {
    BaselineFile = BaselineOut;
    if (!loadBaselineOrFail())
      return 2;
    Old = std::move(LoadedBaseline);
    LoadedBaseline.reset();
  }
  IndexFindings R;
  int Status = 0;
  if (!indexFindings(Argv0, R, Status))
    return Status;
  Baseline B = Baseline::of(R.Findings, Old ? &*Old : nullptr, BaselineReason);
  if (llvm::Error E = writeFileAtomically(BaselineOut, B.text()))
    return fail(llvm::toString(std::move(E)));
  if (!Quiet)
    llvm::errs() << llvm::formatv("kmark: wrote {0} finding{1} to {2}\n",
                                  B.entries().size(),
                                  B.entries().size() == 1 ? "" : "s",
                                  BaselineOut);
  return 0;
}

/// One report's resolution as text: the field, both sites with their
/// marking and locks, the field elsewhere, the verdict, other candidates.
void printResolution(llvm::raw_ostream &OS, const KcsanResolution &Res,
                     llvm::StringRef Input) {
  const KcsanReport &R = *Res.Report;
  OS << R.Title << " (" << Input << ":" << R.Line << ")\n";
  if (Res.Candidates.empty()) {
    OS << "  verdict: not found: " << Res.Problem << "\n";
    return;
  }
  auto Site = [&](const KcsanSite &S, const KcsanAccess &A) {
    if (!S.A)
      return;
    const Access &X = *S.A;
    OS << llvm::formatv("  {0,-10} {1}(): {2}:{3}:{4} '{5}' {6}, {7}  [{8}]\n",
                        kcsanAccessKindName(A.Kind), X.Function.split('@').first,
                        X.File, X.Line, X.Col, X.Text,
                        isMarked(X.Mark) ? markingName(X.Mark) : "plain",
                        anyHeld(X.Locks) ? "holds " + lockListText(X.Locks)
                                         : std::string("no lock held"),
                        llvm::join(S.Why, "; "));
  };
  auto Sides = [&](const KcsanCandidate &C) {
    for (size_t S = 0; S < 2 && S < R.Accesses.size(); ++S)
      Site(C.Sides[S], R.Accesses[S]);
  };
  if (Res.Verdict == KcsanVerdict::Ambiguous) {
    OS << "  candidates, ranked:\n";
    for (const KcsanCandidate &C : Res.Candidates) {
      OS << "  field: " << C.Field << " (score " << C.Score << ")\n";
      Sides(C);
    }
  } else {
    const KcsanCandidate &C = Res.Candidates.front();
    OS << "  field: " << C.Field << " (score " << C.Score << ")\n";
    Sides(C);
    if (!C.SharedWord) {
      OS << llvm::formatv("  elsewhere: {0} access{1} of {2}, {3} marked",
                          Res.FieldAccesses, Res.FieldAccesses == 1 ? "" : "es",
                          C.Field, Res.FieldMarked);
      for (const Access *P : Res.Precedent)
        OS << llvm::formatv("\n    {0}:{1}: {2}() {3} {4}", P->File, P->Line,
                            P->Function.split('@').first, markingName(P->Mark),
                            P->Text);
      OS << "\n";
    }
    if (Res.Candidates.size() > 1) {
      OS << "  other candidates, ranked:";
      for (size_t I = 1; I < Res.Candidates.size(); ++I)
        OS << llvm::formatv(" {0} (score {1})", Res.Candidates[I].Field,
                            Res.Candidates[I].Score);
      OS << "\n";
    }
  }
  OS << "  verdict: " << kcsanVerdictName(Res.Verdict) << "\n";
}

/// kmark kcsan: every report of every input, resolved against the index;
/// 0 when all resolve, 1 when some do not, 2 when none does.
int kcsanMain(const char *Argv0) {
  const KernelModel *Model = loadDriverModel(Argv0);
  if (!Model)
    return 2;
  std::string Root = absolutePath(BuildPath);
  std::string Dir = IndexDir.empty() ? Root + "/.kmark" : absolutePath(IndexDir);
  std::string IndexPath = Dir + "/index.kmi";
  FactSet Set;
  if (llvm::Error E = readFactsFile(IndexPath, FactsKind::Index, Set))
    return fail(llvm::toString(std::move(E)) +
                " (build the index first: kmark run -p " + BuildPath + ")");
  Index Idx({&Set});
  KcsanResolver Resolver(Idx);
  SourceCache Sources(Root);
  std::vector<std::string> Inputs(KcsanInputs.begin(), KcsanInputs.end());
  if (Inputs.empty())
    Inputs.emplace_back("-");
  std::vector<std::string> Trailers;
  for (const std::string &F : FixesTag)
    Trailers.push_back("Fixes: " + F);
  for (const std::string &R : ReportedBy)
    Trailers.push_back("Reported-by: " + R);
  for (const std::string &C : Closes)
    Trailers.push_back("Closes: " + C);

  unsigned Reports = 0, Resolved = 0;
  llvm::StringSet<> Seen;
  std::vector<Finding> All;
  std::vector<Patch> Patches;
  for (const std::string &Input : Inputs) {
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buf =
        Input == "-" ? llvm::MemoryBuffer::getSTDIN()
                     : llvm::MemoryBuffer::getFile(Input);
    if (!Buf) {
      fail("cannot read " + Input + ": " + Buf.getError().message());
      continue;
    }
    std::string Name = Input == "-" ? "<stdin>" : Input;
    KcsanParse Parsed = parseKcsan((*Buf)->getBuffer());
    for (const std::string &P : Parsed.Problems)
      llvm::errs() << "kmark: " << Name << ": " << P << "\n";
    if (Parsed.Reports.empty()) {
      llvm::errs() << "kmark: " << Name
                   << ": no KCSAN report (a 'BUG: KCSAN: ...' title followed "
                      "by its access headers and stacks)\n";
      continue;
    }
    for (const KcsanReport &R : Parsed.Reports) {
      // A page or a mail often quotes one report twice.
      std::string Key = R.Title;
      for (const KcsanAccess &A : R.Accesses) {
        Key += llvm::formatv("|{0}:{1}:{2}", kcsanAccessKindName(A.Kind),
                             A.Size, A.Address);
        for (const KcsanFrame &F : A.Frames)
          Key += "|" + F.RawFunction + "@" + F.File + ":" +
                 std::to_string(F.Line);
      }
      if (!Seen.insert(Key).second) {
        if (!Quiet)
          llvm::errs() << "kmark: " << Name << ":" << R.Line
                       << ": the same report again; skipped\n";
        continue;
      }
      ++Reports;
      KcsanResolution Res = Resolver.resolve(R);
      printResolution(llvm::outs(), Res, Name);
      if (Res.Verdict != KcsanVerdict::NotFound &&
          Res.Verdict != KcsanVerdict::Ambiguous)
        ++Resolved;
      std::vector<Finding> Fs = KcsanResolver::findings(Res);
      for (const Finding &F : Fs)
        renderText(llvm::outs(), F, Sources);
      if (!PatchDir.empty() && !Fs.empty()) {
        std::string Prefix = subjectPrefix(Fs.front().Site->File);
        std::vector<Patch> One = makePatches(
            Fs, Sources, [&](llvm::StringRef) { return Prefix; });
        if (!One.empty()) {
          KcsanMailText M = kcsanMail(Res, Prefix, Trailers);
          One.front().Subject = M.Subject;
          One.front().Body = M.Body;
          One.front().Findings.clear();
          Patches.push_back(std::move(One.front()));
        }
      }
      All.insert(All.end(), std::make_move_iterator(Fs.begin()),
                 std::make_move_iterator(Fs.end()));
    }
  }
  if (int Status = writeFixesAndSarif(All, Sources, Root))
    return Status;
  if (!Patches.empty())
    if (int Status = writePatches(Patches))
      return Status;
  if (!Quiet)
    llvm::errs() << llvm::formatv("kmark: {0} report{1}, {2} resolved, {3} "
                                  "fix-it{4}\n",
                                  Reports, Reports == 1 ? "" : "s", Resolved,
                                  All.size(), All.size() == 1 ? "" : "s");
  if (Reports == 0)
    return fail("no KCSAN report in the input");
  if (Resolved == 0)
    return 2;
  return Resolved == Reports ? 0 : 1;
}

} // namespace

/// kmark check [--kmark-OPTION=VALUE...] COMPILER-FLAGS... FILE.c
int checkMain(const char *Argv0, llvm::ArrayRef<std::string> Args) {
  if (llvm::is_contained(Args, "--help")) {
    llvm::outs()
        << "USAGE: kmark check [--kmark-OPTION=VALUE...] COMPILER-FLAGS... "
           "FILE.c\n\n"
           "kbuild's $(CHECK), as sparse is: run from the tree's top,\n"
           "  make LLVM=-22 C=1 CHECK=\"kmark check\" net/smc/\n"
           "checks each C file make compiles (C=2: every file), prints the\n"
           "findings on standard error and exits 0, even on an internal "
           "error.\n"
           "It checks against .kmark/index.kmi when the tree has one, and\n"
           "writes each file's shard into .kmark/shards when .kmark exists\n"
           "(then: kmark merge -o .kmark/index.kmi .kmark/shards).\n\n"
           "OPTIONS:\n"
           "  --kmark-index=FILE            the index to check against\n"
           "  --kmark-shard-dir=DIR         where to write the file's shard\n"
           "  --kmark-min-confidence=LEVEL  low, medium (default), high or "
           "0-100\n"
           "  --kmark-model=FILE            the kernel model to use\n"
           "  --kmark-baseline=FILE         findings not to print (kmark "
           "baseline)\n";
    return 0;
  }
  CheckArgs A = parseCheckArgs(Args);
  CheckOptions C;
  C.Root = absolutePath(".");
  std::optional<unsigned> T =
      parseConfidence(A.MinConfidence.empty() ? "medium" : A.MinConfidence);
  C.Threshold = T ? *T : MediumConfidence;
  llvm::SmallString<256> Dot(C.Root);
  llvm::sys::path::append(Dot, ".kmark");
  if (A.Index.empty()) {
    llvm::SmallString<256> I(Dot);
    llvm::sys::path::append(I, "index.kmi");
    if (llvm::sys::fs::exists(I))
      A.Index = std::string(I);
  }
  if (A.ShardDir.empty() && llvm::sys::fs::is_directory(Dot)) {
    llvm::SmallString<256> D(Dot);
    llvm::sys::path::append(D, "shards");
    A.ShardDir = std::string(D);
  }
  if (!A.Baseline.empty()) {
    BaselineFile = A.Baseline;
    if (!loadBaselineOrFail()) {
      llvm::errs() << "kmark check: the baseline is not used (the build "
                      "goes on)\n";
    }
    C.Base = LoadedBaseline ? &*LoadedBaseline : nullptr;
  }
  return runCheck(A, C, defaultModelPath(findPlugin(Argv0)));
}

int main(int argc, char **argv) {
  llvm::InitLLVM X(argc, argv);
  if (argc > 1 && llvm::StringRef(argv[1]) == "check")
    return checkMain(argv[0], std::vector<std::string>(argv + 2, argv + argc));
  if (argc > 1 && llvm::StringRef(argv[1]) == "extract") {
    // kmark run's child for one TU: not for people.
    std::string Error;
    std::optional<ExtractArgs> A = parseExtractArgs(
        std::vector<std::string>(argv + 2, argv + argc), Error);
    if (!A)
      return fail("extract: " + Error);
    if (A->Models.empty())
      A->Models.push_back(defaultModelPath(findPlugin(argv[0])));
    return runExtract(*A);
  }
  cl::HideUnrelatedOptions(Cat);
  cl::SetVersionPrinter([](llvm::raw_ostream &OS) {
    OS << "kmark " << KMARK_VERSION << " (clang-tidy plugin for LLVM "
       << KMARK_LLVM_VERSION_STRING << ")\n";
  });
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "kmark: find inconsistent access marking (READ_ONCE/WRITE_ONCE) "
          "in kernel code\n",
          &llvm::errs()))
    return 2;
  if ((RunCmd || DiffCmd || ReportCmd) && !loadBaselineOrFail())
    return 2;
  if (BaselineCmd)
    return baselineMain(argv[0]);
  if (RunCmd)
    return runMain(argv[0]);
  if (DiffCmd)
    return diffMain(argv[0]);
  if (MergeCmd)
    return mergeMain();
  if (QueryCmd)
    return queryMain(argv[0]);
  if (ReportCmd)
    return reportMain(argv[0]);
  if (DumpCmd)
    return dumpMain(argv[0]);
  if (KcsanCmd)
    return kcsanMain(argv[0]);
  llvm::errs() << "kmark: give a subcommand: run, diff, merge, query, report, "
                  "baseline, check, dump or kcsan (see kmark --help)\n";
  return 2;
}
