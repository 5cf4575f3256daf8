//===- Driver.cpp - Parsing each TU of a compile database once ------------===//
//
// The compile database, the per-TU children that parse it (kmark extract),
// and the argument lists of kmark extract and kmark check.
//
//===----------------------------------------------------------------------===//

#include "Driver.h"

#include "kmark/Serialization.h"

#include "clang/Tooling/JSONCompilationDatabase.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Chrono.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <thread>
#include <unistd.h>

namespace kmark::driver {

CompileDatabase::CompileDatabase() = default;
CompileDatabase::~CompileDatabase() = default;

llvm::Expected<std::unique_ptr<CompileDatabase>>
CompileDatabase::load(llvm::StringRef BuildDir) {
  llvm::SmallString<256> Path(BuildDir);
  llvm::sys::path::append(Path, "compile_commands.json");
  if (std::error_code EC = llvm::sys::fs::access(
          Path, llvm::sys::fs::AccessMode::Exist))
    return llvm::createStringError(EC, "cannot read " + Path + ": " +
                                           EC.message());
  std::string Error;
  auto Out = std::make_unique<CompileDatabase>();
  Out->BuildDir = BuildDir.str();
  Out->DB = clang::tooling::JSONCompilationDatabase::loadFromFile(
      Path, Error, clang::tooling::JSONCommandLineSyntax::AutoDetect);
  if (!Out->DB)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot read " + Path + ": " + Error);
  for (std::string &F : Out->DB->getAllFiles()) {
    llvm::SmallString<256> Clean(F);
    llvm::sys::path::make_absolute(BuildDir, Clean);
    llvm::sys::path::remove_dots(Clean, true);
    Out->Spelled.try_emplace(Clean, std::move(F));
    Out->Files.emplace_back(Clean);
  }
  return std::move(Out);
}

CompileEntry CompileDatabase::entry(llvm::StringRef File) const {
  CompileEntry E;
  E.File = File.str();
  auto It = Spelled.find(File);
  std::vector<clang::tooling::CompileCommand> Cmds =
      DB->getCompileCommands(It == Spelled.end() ? File : It->second);
  if (Cmds.empty())
    return E;
  clang::tooling::CompileCommand &C = Cmds.front();
  llvm::SmallString<256> Dir(C.Directory);
  llvm::sys::path::make_absolute(BuildDir, Dir);
  llvm::sys::path::remove_dots(Dir, true);
  E.Directory = std::string(Dir);
  E.Command = std::move(C.CommandLine);
  return E;
}

std::string shardPathFor(llvm::StringRef ShardDir, llvm::StringRef MainFile) {
  llvm::SmallString<256> P(ShardDir);
  llvm::sys::path::append(P, shardFileName(MainFile));
  return std::string(P);
}

static std::optional<llvm::sys::TimePoint<>> mtime(llvm::StringRef Path) {
  llvm::sys::fs::file_status St;
  if (llvm::sys::fs::status(Path, St))
    return std::nullopt;
  return St.getLastModificationTime();
}

bool shardIsFresh(llvm::StringRef ShardPath, llvm::StringRef Root,
                  llvm::StringRef Extractor) {
  std::optional<llvm::sys::TimePoint<>> Made = mtime(ShardPath);
  if (!Made)
    return false;
  if (std::optional<llvm::sys::TimePoint<>> P = mtime(Extractor))
    if (*P > *Made)
      return false; // another kmark may extract differently
  FactSet S;
  if (llvm::Error E = readFactsFile(ShardPath, FactsKind::Shard, S)) {
    llvm::consumeError(std::move(E));
    return false;
  }
  if (S.TUs.empty())
    return false;
  for (llvm::StringRef F : S.TUs.front().Files) {
    llvm::SmallString<256> Abs(F);
    if (!llvm::sys::path::is_absolute(Abs)) {
      Abs = Root;
      llvm::sys::path::append(Abs, F);
    }
    std::optional<llvm::sys::TimePoint<>> T = mtime(Abs);
    if (!T || *T > *Made)
      return false;
  }
  return true;
}

namespace {

struct Running {
  size_t Index;
  llvm::sys::ProcessInfo PI;
  std::string Log;
  std::chrono::steady_clock::time_point Start;
};

/// The first error line of a TU's log, for the skip reason.
std::string firstError(llvm::StringRef LogPath) {
  auto Buf = llvm::MemoryBuffer::getFile(LogPath);
  if (!Buf)
    return "";
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  (*Buf)->getBuffer().split(Lines, '\n');
  for (llvm::StringRef Word : {"error:", "Error"})
    for (llvm::StringRef L : Lines)
      if (L.contains(Word))
        return L.trim().str();
  for (llvm::StringRef L : llvm::reverse(Lines))
    if (!L.trim().empty())
      return L.trim().str();
  return "";
}

std::string duration(double S) {
  if (S < 60)
    return llvm::formatv("{0}s", static_cast<unsigned>(S)).str();
  unsigned M = static_cast<unsigned>(S) / 60;
  return llvm::formatv("{0}m{1:2}s", M, static_cast<unsigned>(S) % 60).str();
}

/// What sparse takes and clang does not, or must not see: sparse's own
/// warnings and target options, and the dependency file kbuild writes for
/// the object (a checker must not overwrite it).
bool dropFlag(llvm::StringRef A) {
  return A == "-Wbitwise" || A == "-Wno-return-void" ||
         A == "-Wno-unknown-attribute" || A == "-Wcontext" ||
         A == "-Wno-context" || A == "-Wsparse-all" ||
         A == "-Wno-shadow" || A.starts_with("--arch=") ||
         A == "-D__STDC__" || A.starts_with("-Wp,-MD") ||
         A.starts_with("-Wp,-MMD") || A == "-MD" || A == "-MMD";
}

} // namespace

std::optional<ExtractArgs> parseExtractArgs(llvm::ArrayRef<std::string> Args,
                                            std::string &Error) {
  ExtractArgs R;
  size_t I = 0;
  for (; I < Args.size() && Args[I] != "--"; ++I) {
    llvm::StringRef S(Args[I]);
    if (S.consume_front("--shard-dir=")) {
      R.ShardDir = S.str();
    } else if (S.consume_front("--directory=")) {
      R.Directory = S.str();
    } else if (S.consume_front("--file=")) {
      R.File = S.str();
    } else if (S.consume_front("--model=")) {
      R.Models.push_back(S.str());
    } else {
      Error = "unknown argument '" + Args[I] + "'";
      return std::nullopt;
    }
  }
  if (I < Args.size())
    R.Command.assign(Args.begin() + static_cast<std::ptrdiff_t>(I) + 1,
                     Args.end());
  if (R.ShardDir.empty() || R.Directory.empty() || R.File.empty() ||
      R.Command.empty()) {
    Error = "expected --shard-dir=, --directory=, --file= and -- COMMAND";
    return std::nullopt;
  }
  return R;
}

CheckArgs parseCheckArgs(llvm::ArrayRef<std::string> Args) {
  CheckArgs R;
  for (const std::string &A : Args) {
    llvm::StringRef S(A);
    if (S.consume_front("--kmark-index="))
      R.Index = S.str();
    else if (S.consume_front("--kmark-shard-dir="))
      R.ShardDir = S.str();
    else if (S.consume_front("--kmark-min-confidence="))
      R.MinConfidence = S.str();
    else if (S.consume_front("--kmark-model="))
      R.Model = S.str();
    else if (S.consume_front("--kmark-baseline="))
      R.Baseline = S.str();
    else if (!S.starts_with("-") && (S.ends_with(".c") || S.ends_with(".i")))
      R.Files.push_back(A);
    else if (!dropFlag(S))
      R.CompilerArgs.push_back(A);
  }
  R.CompilerArgs.emplace_back("-Wno-unknown-warning-option");
  return R;
}

std::vector<TUResult> extractAll(const std::vector<CompileEntry> &Entries,
                                 const RunOptions &Opts) {
  std::vector<TUResult> Results(Entries.size());

  llvm::SmallString<128> LogDir;
  if (std::error_code EC =
          llvm::sys::fs::createUniqueDirectory("kmark-logs", LogDir)) {
    for (TUResult &R : Results)
      R.Why = "cannot create a log directory: " + EC.message();
    return Results;
  }

  bool Tty = llvm::sys::Process::StandardErrIsDisplayed() && !Opts.Quiet;
  auto Begin = std::chrono::steady_clock::now();
  size_t Done = 0, Next = 0, Total = Entries.size();
  size_t LastReported = 0;
  std::vector<Running> Active;
  auto Progress = [&](bool Final) {
    if (Opts.Quiet)
      return;
    double Elapsed = std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - Begin)
                         .count();
    double Eta = Done ? Elapsed * static_cast<double>(Total - Done) /
                            static_cast<double>(Done)
                      : 0;
    if (Tty) {
      llvm::errs() << llvm::formatv("\r[{0}/{1}] {2} elapsed, ETA {3}   ", Done,
                                    Total, duration(Elapsed), duration(Eta));
      if (Final)
        llvm::errs() << "\n";
    } else if ((Final && LastReported != Done) ||
               (Total >= 20 && Done - LastReported >= Total / 10)) {
      llvm::errs() << llvm::formatv("kmark: {0}/{1} translation units, {2} "
                                    "elapsed\n",
                                    Done, Total, duration(Elapsed));
      LastReported = Done;
    }
  };

  while (Done < Total) {
    while (Active.size() < std::max(1U, Opts.Jobs) && Next < Total) {
      size_t I = Next++;
      const CompileEntry &E = Entries[I];
      Results[I].File = E.File;
      std::string Log =
          (LogDir + "/" + llvm::utostr(I) + ".log").str();
      std::vector<std::string> Args = {Opts.Self, "extract",
                                       "--shard-dir=" + Opts.ShardDir,
                                       "--directory=" + E.Directory,
                                       "--file=" + E.File};
      for (const std::string &M : Opts.Models)
        Args.push_back("--model=" + M);
      Args.emplace_back("--");
      Args.insert(Args.end(), E.Command.begin(), E.Command.end());
      std::vector<llvm::StringRef> ArgRefs(Args.begin(), Args.end());
      std::optional<llvm::StringRef> Redirects[] = {
          llvm::StringRef(""), llvm::StringRef(Log), llvm::StringRef(Log)};
      std::string Err;
      bool Failed = false;
      Running R{I,
                llvm::sys::ExecuteNoWait(Opts.Self, ArgRefs, std::nullopt,
                                         Redirects, 0, &Err, &Failed),
                Log, std::chrono::steady_clock::now()};
      if (Failed) {
        Results[I].Why = "cannot run " + Opts.Self + ": " + Err;
        ++Done;
        continue;
      }
      Active.push_back(std::move(R));
    }
    bool Reaped = false;
    for (size_t K = 0; K < Active.size();) {
      std::optional<llvm::sys::ProcessStatistics> Stats;
      std::string Err;
      llvm::sys::ProcessInfo PI =
          llvm::sys::Wait(Active[K].PI, 0, &Err, &Stats);
      if (PI.Pid == 0) { // a non-blocking wait: still running
        ++K;
        continue;
      }
      TUResult &Res = Results[Active[K].Index];
      Res.WallSeconds = std::chrono::duration<double>(
                            std::chrono::steady_clock::now() - Active[K].Start)
                            .count();
      if (Stats) {
        // CPU time: user and system, as the baseline is measured.
        Res.CPUSeconds =
            std::chrono::duration<double>(Stats->TotalTime).count();
        Res.PeakRSSKiB = Stats->PeakMemory;
      }
      if (PI.ReturnCode == 0) {
        Res.Ok = true;
      } else {
        // The facts of a TU that did not compile are partial: drop them, so
        // the index holds what the last good parse saw, or nothing.
        const CompileEntry &E = Entries[Active[K].Index];
        (void)llvm::sys::fs::remove(shardPathFor(
            Opts.ShardDir, canonicalPath(E.File, E.Directory, "")));
        std::string Why = firstError(Active[K].Log);
        if (PI.ReturnCode < 0)
          Res.Why = "the parse crashed" + (Err.empty() ? "" : ": " + Err) +
                    (Why.empty() ? "" : " (" + Why + ")");
        else
          Res.Why = Why.empty() ? "the parse failed with status " +
                                      std::to_string(PI.ReturnCode)
                                : Why;
      }
      (void)llvm::sys::fs::remove(Active[K].Log);
      Active.erase(Active.begin() + static_cast<std::ptrdiff_t>(K));
      ++Done;
      Reaped = true;
      Progress(false);
    }
    if (!Reaped)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Progress(true);
  (void)llvm::sys::fs::remove(LogDir);
  return Results;
}

} // namespace kmark::driver
