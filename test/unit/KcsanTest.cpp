//===- KcsanTest.cpp - KCSAN report parsing -------------------------------===//
//
// The reports are in test/kcsan/reports: 01 is syzbot's dashboard text of a
// real report (public test data), the others are written for these tests in
// the format of kernel/kcsan/report.c.
//
//===----------------------------------------------------------------------===//

#include "kmark/Kcsan.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <random>

using namespace kmark;

namespace {

std::string readReport(llvm::StringRef Name) {
  llvm::SmallString<256> Path(KMARK_KCSAN_REPORTS);
  llvm::sys::path::append(Path, Name);
  auto Buf = llvm::MemoryBuffer::getFile(Path);
  if (!Buf) {
    ADD_FAILURE() << "cannot read " << Path.str().str();
    return "";
  }
  return (*Buf)->getBuffer().str();
}

KcsanParse parseFile(llvm::StringRef Name) {
  return parseKcsan(readReport(Name));
}

/// The dashboard's form: every line break a space.
std::string collapse(llvm::StringRef Text) {
  std::string S = Text.str();
  std::replace(S.begin(), S.end(), '\n', ' ');
  std::replace(S.begin(), S.end(), '\r', ' ');
  return S;
}

/// Everything parsed but the line numbers, which differ between a report
/// and its one-line form.
std::string describe(const KcsanParse &P) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  for (const KcsanReport &R : P.Reports) {
    OS << "report '" << R.Title << "' type '" << R.BugType << "' functions "
       << llvm::join(R.TitleFunctions, ",") << " unknown " << R.UnknownOrigin
       << " value " << R.OldValue << "->" << R.NewValue << " mask "
       << R.ChangedMask << " complete " << R.Complete << "\n";
    auto Frame = [&](const KcsanFrame &F) {
      OS << "    " << F.Unreliable << " " << F.Function << " "
         << F.RawFunction << "+" << F.Offset << "/" << F.SymbolSize << " "
         << F.File << ":" << F.Line << " " << F.Inline << " [" << F.Module
         << "]\n";
    };
    for (const KcsanAccess &A : R.Accesses) {
      OS << "  " << kcsanAccessKindName(A.Kind) << " " << A.Marked << " "
         << A.Reordered << " " << A.Size << " " << A.Address << " "
         << A.Interrupt << " " << A.Task << " " << A.Cpu << "\n";
      llvm::for_each(A.Frames, Frame);
      if (A.ReorderedTo)
        Frame(*A.ReorderedTo);
    }
  }
  OS << P.Problems.size() << " problems\n";
  return S;
}

std::vector<std::string> reportFiles() {
  std::vector<std::string> Names;
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator It(KMARK_KCSAN_REPORTS, EC), End;
       It != End && !EC; It.increment(EC))
    if (llvm::StringRef(It->path()).ends_with(".txt"))
      Names.push_back(llvm::sys::path::filename(It->path()).str());
  llvm::sort(Names);
  return Names;
}

/// How many reports the text starts: "BUG:" then "KCSAN:", any spacing.
size_t countStarts(llvm::StringRef Text) {
  llvm::SmallVector<llvm::StringRef, 0> Words;
  llvm::SplitString(Text, Words);
  size_t N = 0;
  for (size_t I = 0; I + 1 < Words.size(); ++I)
    N += Words[I] == "BUG:" && Words[I + 1] == "KCSAN:";
  return N;
}

/// Each report a text starts ends as a complete report or as one problem.
void expectAccountedFor(llvm::StringRef Text, const KcsanParse &P) {
  const size_t Complete = llvm::count_if(
      P.Reports, [](const KcsanReport &R) { return R.Complete; });
  EXPECT_EQ(Complete + P.Problems.size(), countStarts(Text));
  for (const KcsanReport &R : P.Reports) {
    EXPECT_GE(R.Accesses.size(), 1u);
    EXPECT_LE(R.Accesses.size(), 2u);
    if (R.Complete)
      for (const KcsanAccess &A : R.Accesses)
        EXPECT_FALSE(A.Frames.empty());
  }
}

void expectFrame(const KcsanFrame &F, llvm::StringRef Function,
                 llvm::StringRef File, unsigned Line) {
  EXPECT_EQ(F.Function, Function);
  EXPECT_EQ(F.File, File);
  EXPECT_EQ(F.Line, Line);
}

/// The smc_connect_work / smc_poll report, in whatever form it came.
void expectSmc(const KcsanParse &P) {
  ASSERT_EQ(P.Reports.size(), 1u);
  EXPECT_TRUE(P.Problems.empty());
  const KcsanReport &R = P.Reports[0];
  EXPECT_EQ(R.Title, "KCSAN: data-race in smc_connect_work / smc_poll");
  EXPECT_EQ(R.BugType, "data-race");
  EXPECT_EQ(R.TitleFunctions,
            (std::vector<std::string>{"smc_connect_work", "smc_poll"}));
  EXPECT_FALSE(R.UnknownOrigin);
  EXPECT_TRUE(R.Complete);
  ASSERT_EQ(R.Accesses.size(), 2u);

  const KcsanAccess &W = R.Accesses[0];
  EXPECT_EQ(W.Kind, KcsanAccessKind::Write);
  EXPECT_FALSE(W.Marked);
  EXPECT_EQ(W.Size, 4u);
  EXPECT_EQ(W.Address, "0xffff88811a82089c");
  EXPECT_EQ(W.Task, 3413);
  EXPECT_EQ(W.Cpu, 0);
  EXPECT_FALSE(W.Interrupt);
  ASSERT_EQ(W.Frames.size(), 7u);
  expectFrame(W.Frames[0], "smc_connect_work", "net/smc/af_smc.c", 1606);
  EXPECT_EQ(W.Frames[0].Offset, 0xefu);
  EXPECT_EQ(W.Frames[0].SymbolSize, 0x4e0u);
  EXPECT_FALSE(W.Frames[0].Inline);
  expectFrame(W.Frames[1], "process_one_work", "kernel/workqueue.c", 3263);
  EXPECT_TRUE(W.Frames[1].Inline);
  EXPECT_EQ(W.Frames[1].Offset, 0u);
  expectFrame(W.Frames[6], "ret_from_fork_asm", "arch/x86/entry/entry_64.S",
              245);

  const KcsanAccess &Rd = R.Accesses[1];
  EXPECT_EQ(Rd.Kind, KcsanAccessKind::Read);
  EXPECT_EQ(Rd.Size, 4u);
  EXPECT_EQ(Rd.Address, W.Address);
  EXPECT_EQ(Rd.Task, 24721);
  EXPECT_EQ(Rd.Cpu, 1);
  ASSERT_EQ(Rd.Frames.size(), 14u);
  expectFrame(Rd.Frames[0], "smc_poll", "net/smc/af_smc.c", 2890);
  expectFrame(Rd.Frames[12], "do_syscall_64", "arch/x86/entry/syscall_64.c",
              94);
  // The last frame has no file:line, and "value changed" is no frame.
  expectFrame(Rd.Frames[13], "entry_SYSCALL_64_after_hwframe", "", 0);
  EXPECT_EQ(Rd.Frames[13].Offset, 0x77u);

  EXPECT_EQ(R.OldValue, "0x00000000");
  EXPECT_EQ(R.NewValue, "0x0000006f");
  EXPECT_EQ(R.ChangedMask, "");
}

TEST(Kcsan, SmcDashboardOneLine) {
  const std::string Text = readReport("01-smc-dashboard-oneline.txt");
  EXPECT_EQ(llvm::StringRef(Text).count('\n'), 1u); // really one line
  const KcsanParse P = parseKcsan(Text);
  expectSmc(P);
  EXPECT_EQ(P.Reports[0].Line, 1u);
}

TEST(Kcsan, SmcMultiLine) {
  const KcsanParse P = parseFile("02-smc-multiline.txt");
  expectSmc(P);
  EXPECT_EQ(P.Reports[0].Line, 2u);
  EXPECT_EQ(describe(P), describe(parseFile("01-smc-dashboard-oneline.txt")));
}

TEST(Kcsan, OffsetsWithoutFiles) {
  const KcsanParse P = parseFile("03-plain-write-read.txt");
  ASSERT_EQ(P.Reports.size(), 1u);
  const KcsanReport &R = P.Reports[0];
  EXPECT_TRUE(R.Complete);
  ASSERT_EQ(R.Accesses.size(), 2u);
  ASSERT_EQ(R.Accesses[0].Frames.size(), 6u);
  ASSERT_EQ(R.Accesses[1].Frames.size(), 5u);
  const KcsanFrame &F = R.Accesses[0].Frames[0];
  EXPECT_EQ(F.Function, "pipe_wake_writers");
  EXPECT_EQ(F.Offset, 0x4au);
  EXPECT_EQ(F.SymbolSize, 0x110u);
  EXPECT_EQ(F.File, "");
  EXPECT_EQ(F.Line, 0u);
  EXPECT_EQ(R.Accesses[0].Size, 8u);
  EXPECT_EQ(R.OldValue, "0x0000000000000002");
}

TEST(Kcsan, UnknownOrigin) {
  const KcsanParse P = parseFile("04-unknown-origin.txt");
  ASSERT_EQ(P.Reports.size(), 1u);
  EXPECT_TRUE(P.Problems.empty());
  const KcsanReport &R = P.Reports[0];
  EXPECT_TRUE(R.UnknownOrigin);
  EXPECT_TRUE(R.Complete);
  EXPECT_EQ(R.Title, "KCSAN: data-race in blkg_stat_account_io+0x3b/0x120");
  EXPECT_EQ(R.TitleFunctions, std::vector<std::string>{"blkg_stat_account_io"});
  ASSERT_EQ(R.Accesses.size(), 1u);
  const KcsanAccess &A = R.Accesses[0];
  EXPECT_EQ(A.Kind, KcsanAccessKind::Read);
  EXPECT_EQ(A.Task, 2210);
  EXPECT_EQ(A.Cpu, 5);
  ASSERT_EQ(A.Frames.size(), 6u);
  expectFrame(A.Frames[2], "nvme_complete_batch",
              "drivers/nvme/host/nvme.h", 741);
  EXPECT_TRUE(A.Frames[2].Inline);
  EXPECT_EQ(R.NewValue, "0x000000000012d688");
}

TEST(Kcsan, MarkedRead) {
  const KcsanParse P = parseFile("05-marked-read.txt");
  ASSERT_EQ(P.Reports.size(), 1u);
  const KcsanReport &R = P.Reports[0];
  ASSERT_EQ(R.Accesses.size(), 2u);
  EXPECT_EQ(R.Accesses[0].Kind, KcsanAccessKind::Write);
  EXPECT_FALSE(R.Accesses[0].Marked);
  EXPECT_EQ(R.Accesses[1].Kind, KcsanAccessKind::Read);
  EXPECT_TRUE(R.Accesses[1].Marked);
  EXPECT_FALSE(R.Accesses[1].Reordered);
  ASSERT_EQ(R.Accesses[1].Frames.size(), 6u);
  expectFrame(R.Accesses[1].Frames[0], "vfs_getattr_fast", "fs/stat.c", 88);
}

TEST(Kcsan, ReadWriteMarkedAndPlain) {
  const KcsanParse P = parseFile("06-read-write-marked.txt");
  ASSERT_EQ(P.Reports.size(), 1u);
  const KcsanReport &R = P.Reports[0];
  ASSERT_EQ(R.Accesses.size(), 2u);
  EXPECT_EQ(R.Accesses[0].Kind, KcsanAccessKind::ReadWrite);
  EXPECT_TRUE(R.Accesses[0].Marked);
  EXPECT_EQ(R.Accesses[1].Kind, KcsanAccessKind::ReadWrite);
  EXPECT_FALSE(R.Accesses[1].Marked);
  EXPECT_EQ(R.Accesses[1].Size, 4u);
  // "Workqueue:" after the footer is not part of the report.
  EXPECT_EQ(R.Accesses[1].Frames.size(), 4u);
  EXPECT_TRUE(P.Problems.empty());
}

TEST(Kcsan, InterruptContext) {
  const KcsanParse P = parseFile("07-interrupt.txt");
  ASSERT_EQ(P.Reports.size(), 1u);
  const KcsanReport &R = P.Reports[0];
  ASSERT_EQ(R.Accesses.size(), 2u);
  const KcsanAccess &Irq = R.Accesses[0];
  EXPECT_TRUE(Irq.Interrupt);
  EXPECT_EQ(Irq.Task, -1);
  EXPECT_EQ(Irq.Cpu, 7);
  EXPECT_EQ(Irq.Kind, KcsanAccessKind::Write);
  EXPECT_TRUE(Irq.Marked);
  EXPECT_EQ(Irq.Size, 1u);
  EXPECT_EQ(Irq.Frames.size(), 8u);
  // PID 0 (the idle task) is a task, not an interrupt.
  EXPECT_FALSE(R.Accesses[1].Interrupt);
  EXPECT_EQ(R.Accesses[1].Task, 0);
  EXPECT_EQ(R.OldValue, "0x00");
  EXPECT_EQ(R.NewValue, "0x01");
}

TEST(Kcsan, CloneSuffixes) {
  const KcsanParse P = parseFile("08-clone-suffixes.txt");
  ASSERT_EQ(P.Reports.size(), 1u);
  const KcsanReport &R = P.Reports[0];
  // The title keeps the symbol as printed.
  EXPECT_EQ(R.TitleFunctions[0], "shrink_folio_list.isra.0");
  ASSERT_EQ(R.Accesses.size(), 2u);
  const auto &W = R.Accesses[0].Frames;
  ASSERT_EQ(W.size(), 4u);
  EXPECT_EQ(W[1].Function, "filemap_read_folio_range");
  EXPECT_EQ(W[1].RawFunction, "filemap_read_folio_range.constprop.0");
  const auto &Rd = R.Accesses[1].Frames;
  ASSERT_EQ(Rd.size(), 7u);
  EXPECT_EQ(Rd[1].Function, "shrink_folio_list");
  EXPECT_EQ(Rd[1].RawFunction, "shrink_folio_list.isra.0");
  EXPECT_EQ(Rd[1].Offset, 0x3a2u);
  EXPECT_EQ(Rd[2].Function, "evict_folios");
  EXPECT_EQ(Rd[2].RawFunction, "evict_folios.part.0");
  EXPECT_EQ(Rd[3].Function, "try_to_shrink_lruvec");
  EXPECT_EQ(Rd[3].RawFunction, "try_to_shrink_lruvec.cold");
  EXPECT_EQ(Rd[4].Function, "shrink_one");
  EXPECT_EQ(Rd[4].RawFunction, "shrink_one.llvm.4170958234158436542");
  EXPECT_EQ(Rd[5].Function, Rd[5].RawFunction);
}

TEST(Kcsan, ModuleFrames) {
  const KcsanParse P = parseFile("09-modules.txt");
  ASSERT_EQ(P.Reports.size(), 1u);
  const KcsanReport &R = P.Reports[0];
  ASSERT_EQ(R.Accesses.size(), 2u);
  const auto &Rd = R.Accesses[0].Frames;
  ASSERT_EQ(Rd.size(), 4u);
  EXPECT_EQ(Rd[0].Module, "nfsd");
  EXPECT_EQ(Rd[0].File, "");
  EXPECT_EQ(Rd[0].Offset, 0x6au);
  EXPECT_EQ(Rd[1].Module, "");
  const auto &W = R.Accesses[1].Frames;
  ASSERT_EQ(W.size(), 6u);
  expectFrame(W[0], "nfsd_cache_lookup", "fs/nfsd/nfscache.c", 512);
  EXPECT_EQ(W[0].Module, "nfsd");
  EXPECT_TRUE(W[1].Inline);
  EXPECT_EQ(W[1].Module, "nfsd");
  // "[sunrpc <build id>]" is one module.
  EXPECT_EQ(W[2].Module, "sunrpc");
  EXPECT_EQ(W[2].Function, "svc_process_common");
  expectFrame(W[3], "svc_process", "net/sunrpc/svc.c", 1563);
  EXPECT_EQ(W[3].Module, "sunrpc");
  EXPECT_EQ(W[5].Module, "");
}

TEST(Kcsan, DmesgTimestamps) {
  const KcsanParse P = parseFile("10-dmesg-timestamps.txt");
  ASSERT_EQ(P.Reports.size(), 1u);
  EXPECT_TRUE(P.Problems.empty());
  const KcsanReport &R = P.Reports[0];
  EXPECT_EQ(R.Line, 3u);
  EXPECT_EQ(R.Title, "KCSAN: data-race in ext4_mb_good_group / "
                     "ext4_mb_update_group_info");
  ASSERT_EQ(R.Accesses.size(), 2u);
  // The timestamps between frames neither end the stack nor become frames.
  ASSERT_EQ(R.Accesses[0].Frames.size(), 4u);
  ASSERT_EQ(R.Accesses[1].Frames.size(), 4u);
  expectFrame(R.Accesses[1].Frames[0], "ext4_mb_good_group",
              "fs/ext4/mballoc.c", 2651);
  EXPECT_EQ(R.Accesses[1].Frames[1].RawFunction, "ext4_mb_scan_groups.isra.0");
  EXPECT_EQ(R.OldValue, "0x000001c4");
  EXPECT_TRUE(R.Complete);
}

TEST(Kcsan, DmesgCallerIds) {
  const KcsanParse P = parseFile("11-dmesg-caller-id.txt");
  ASSERT_EQ(P.Reports.size(), 1u);
  const KcsanReport &R = P.Reports[0];
  ASSERT_EQ(R.Accesses.size(), 2u);
  EXPECT_TRUE(R.Accesses[0].Interrupt);
  EXPECT_TRUE(R.Accesses[0].Marked);
  EXPECT_EQ(R.Accesses[0].Frames.size(), 3u);
  EXPECT_EQ(R.Accesses[1].Task, 1809);
  EXPECT_EQ(R.Accesses[1].Frames.size(), 3u);
  // No value change printed: fine when both sides are known.
  EXPECT_TRUE(R.OldValue.empty());
  EXPECT_TRUE(R.Complete);
  EXPECT_TRUE(P.Problems.empty());
}

TEST(Kcsan, SyzbotMail) {
  const KcsanParse P = parseFile("12-syzbot-mail.txt");
  // The subject names the bug without "BUG:": not a report.
  ASSERT_EQ(P.Reports.size(), 1u);
  EXPECT_TRUE(P.Problems.empty());
  const KcsanReport &R = P.Reports[0];
  EXPECT_EQ(R.Line, 23u);
  EXPECT_EQ(R.Title,
            "KCSAN: data-race in fat_count_free_clusters / fat_free_clusters");
  ASSERT_EQ(R.Accesses.size(), 2u);
  // Unindented frames, as syzbot's mails have them.
  ASSERT_EQ(R.Accesses[0].Frames.size(), 9u);
  ASSERT_EQ(R.Accesses[1].Frames.size(), 5u);
  expectFrame(R.Accesses[1].Frames[4], "user_statfs", "fs/statfs.c", 105);
  EXPECT_EQ(R.NewValue, "0x00000fa4");
}

TEST(Kcsan, DashboardPage) {
  const KcsanParse P = parseFile("13-dashboard-oneline-page.txt");
  ASSERT_EQ(P.Reports.size(), 1u);
  EXPECT_TRUE(P.Problems.empty());
  const KcsanReport &R = P.Reports[0];
  EXPECT_EQ(R.Line, 5u);
  EXPECT_EQ(R.TitleFunctions,
            (std::vector<std::string>{"__dentry_kill", "d_walk_parent"}));
  ASSERT_EQ(R.Accesses.size(), 2u);
  EXPECT_EQ(R.Accesses[0].Kind, KcsanAccessKind::ReadWrite);
  ASSERT_EQ(R.Accesses[0].Frames.size(), 10u);
  EXPECT_EQ(R.Accesses[0].Frames[1].Function, "dput");
  EXPECT_EQ(R.Accesses[0].Frames[1].RawFunction, "dput.part.0");
  ASSERT_EQ(R.Accesses[1].Frames.size(), 4u);
  EXPECT_EQ(R.Accesses[1].Frames[1].Function, "d_walk");
  EXPECT_EQ(R.OldValue, "0x00200048");
}

TEST(Kcsan, TwoReports) {
  const KcsanParse P = parseFile("14-two-reports.txt");
  ASSERT_EQ(P.Reports.size(), 2u);
  EXPECT_TRUE(P.Problems.empty());
  EXPECT_EQ(P.Reports[0].Line, 2u);
  EXPECT_EQ(P.Reports[1].Line, 20u);
  EXPECT_EQ(P.Reports[0].TitleFunctions[0], "blk_mq_dispatch_rq_list");
  EXPECT_EQ(P.Reports[1].TitleFunctions[0], "virtnet_poll");
  ASSERT_EQ(P.Reports[0].Accesses.size(), 2u);
  ASSERT_EQ(P.Reports[1].Accesses.size(), 2u);
  EXPECT_EQ(P.Reports[0].Accesses[1].Frames.size(), 2u);
  EXPECT_TRUE(P.Reports[1].Accesses[0].Interrupt);
  EXPECT_EQ(P.Reports[1].Accesses[1].Task, 2716);
  EXPECT_EQ(P.Reports[1].NewValue, "0x000000000001e2a6");
}

TEST(Kcsan, TwoReportsOneLine) {
  const std::string Text = readReport("15-two-reports-oneline.txt");
  EXPECT_EQ(llvm::StringRef(Text).count('\n'), 1u);
  const KcsanParse P = parseKcsan(Text);
  ASSERT_EQ(P.Reports.size(), 2u);
  EXPECT_EQ(P.Reports[0].Line, 1u);
  EXPECT_EQ(P.Reports[1].Line, 1u);
  EXPECT_EQ(describe(P), describe(parseFile("14-two-reports.txt")));
}

TEST(Kcsan, TruncatedReportIsKeptAndFlagged) {
  const KcsanParse P = parseFile("16-truncated.txt");
  ASSERT_EQ(P.Reports.size(), 1u);
  const KcsanReport &R = P.Reports[0];
  EXPECT_FALSE(R.Complete);
  ASSERT_EQ(R.Accesses.size(), 1u);
  EXPECT_EQ(R.Accesses[0].Frames.size(), 3u);
  ASSERT_EQ(P.Problems.size(), 1u);
  EXPECT_EQ(P.Problems[0], "line 2: KCSAN: data-race in xas_find_marked / "
                           "xas_set_mark: incomplete (truncated?), kept: 1 "
                           "of 2 accesses");
}

TEST(Kcsan, GarbageHasNoReport) {
  const KcsanParse P = parseFile("17-garbage.txt");
  EXPECT_TRUE(P.Reports.empty());
  EXPECT_TRUE(P.Problems.empty());
}

TEST(Kcsan, BrokenReportDoesNotStopTheNext) {
  const KcsanParse P = parseFile("18-broken-then-good.txt");
  ASSERT_EQ(P.Reports.size(), 1u);
  EXPECT_TRUE(P.Reports[0].Complete);
  EXPECT_EQ(P.Reports[0].Line, 5u);
  EXPECT_EQ(P.Reports[0].TitleFunctions[1], "update_curr_fair");
  ASSERT_EQ(P.Problems.size(), 1u);
  EXPECT_EQ(P.Problems[0], "line 2: BUG: KCSAN: dropped: title not understood");
}

TEST(Kcsan, AssertAndReordered) {
  const KcsanParse P = parseFile("19-assert-reordered.txt");
  ASSERT_EQ(P.Reports.size(), 1u);
  const KcsanReport &R = P.Reports[0];
  EXPECT_EQ(R.BugType, "assert: race");
  EXPECT_EQ(R.Title, "KCSAN: assert: race in cgroup_rstat_flush_locked / "
                     "cgroup_rstat_updated");
  ASSERT_EQ(R.Accesses.size(), 2u);
  EXPECT_EQ(R.Accesses[0].Kind, KcsanAccessKind::AssertNoWrites);
  const KcsanAccess &W = R.Accesses[1];
  EXPECT_EQ(W.Kind, KcsanAccessKind::Write);
  EXPECT_TRUE(W.Marked);
  EXPECT_TRUE(W.Reordered);
  // The "+-> reordered to:" frame is not part of the stack.
  EXPECT_EQ(W.Frames.size(), 2u);
  ASSERT_TRUE(W.ReorderedTo.has_value());
  expectFrame(W.ReorderedTo.value_or(KcsanFrame()), "cgroup_rstat_updated",
              "kernel/cgroup/rstat.c", 104);
  EXPECT_FALSE(R.Accesses[0].ReorderedTo.has_value());
  EXPECT_EQ(R.NewValue, "0xffff88810d2a7000");
  EXPECT_EQ(R.ChangedMask, "0xffffffffffffffff");
}

TEST(Kcsan, VerboseLockDumpsAreSkipped) {
  const KcsanParse P = parseFile("20-verbose-locks.txt");
  ASSERT_EQ(P.Reports.size(), 1u);
  const KcsanReport &R = P.Reports[0];
  EXPECT_TRUE(R.Complete);
  ASSERT_EQ(R.Accesses.size(), 2u);
  // The lock dump's "at: func+0x..." lines are not frames of the stack.
  EXPECT_EQ(R.Accesses[0].Frames.size(), 3u);
  EXPECT_EQ(R.Accesses[1].Frames.size(), 2u);
  EXPECT_EQ(R.Accesses[1].Task, 3356);
  EXPECT_EQ(R.OldValue, "0x00000000000038f2");
}

TEST(Kcsan, SyslogAndUnreliableFrames) {
  const KcsanParse P = parseFile("21-syslog-unreliable.txt");
  ASSERT_EQ(P.Reports.size(), 1u);
  const KcsanReport &R = P.Reports[0];
  ASSERT_EQ(R.Accesses.size(), 2u);
  const auto &W = R.Accesses[0].Frames;
  ASSERT_EQ(W.size(), 4u);
  EXPECT_EQ(W[0].Module, "i915");
  EXPECT_FALSE(W[0].Unreliable);
  EXPECT_TRUE(W[2].Unreliable);
  EXPECT_EQ(W[2].Function, "__schedule");
  const auto &Rd = R.Accesses[1].Frames;
  ASSERT_EQ(Rd.size(), 3u);
  EXPECT_EQ(Rd[1].Function, "i915_gem_object_wait_fence");
  EXPECT_EQ(Rd[2].Module, "drm");
  EXPECT_TRUE(R.Accesses[1].Marked);
}

TEST(Kcsan, QuotedReply) {
  const KcsanParse P = parseFile("22-quoted-reply.txt");
  ASSERT_EQ(P.Reports.size(), 1u);
  EXPECT_TRUE(P.Problems.empty());
  const KcsanReport &R = P.Reports[0];
  EXPECT_EQ(R.Line, 7u);
  ASSERT_EQ(R.Accesses.size(), 2u);
  EXPECT_EQ(R.Accesses[0].Frames.size(), 3u);
  EXPECT_EQ(R.Accesses[1].Frames.size(), 2u);
  expectFrame(R.Accesses[1].Frames[0], "netlink_getname",
              "net/netlink/af_netlink.c", 1117);
  EXPECT_EQ(R.NewValue, "0x00000000");
}

TEST(Kcsan, DecodedStackAndCrLf) {
  const KcsanParse P = parseFile("23-decoded-crlf.txt");
  ASSERT_EQ(P.Reports.size(), 1u);
  const KcsanReport &R = P.Reports[0];
  ASSERT_EQ(R.Accesses.size(), 2u);
  const auto &W = R.Accesses[0].Frames;
  ASSERT_EQ(W.size(), 4u);
  expectFrame(W[0], "drm_sched_entity_push_job",
              "drivers/gpu/drm/scheduler/sched_entity.c", 601);
  EXPECT_EQ(W[0].Module, "");
  EXPECT_EQ(W[1].Module, "amdgpu");
  // An address without a symbol keeps its place in the stack.
  EXPECT_EQ(W[2].Function, "");
  EXPECT_EQ(W[2].RawFunction, "0xffffffffc0a1b2c3");
  EXPECT_EQ(W[3].Module, "amdgpu");
  const auto &Rd = R.Accesses[1].Frames;
  ASSERT_EQ(Rd.size(), 2u);
  EXPECT_EQ(Rd[0].Module, "gpu_sched");
  EXPECT_EQ(R.NewValue, "0x01"); // no "\r"
  EXPECT_EQ(R.Accesses[1].Cpu, 2);
}

// Every report file parses the same in syzbot's one-line form, and every
// report it starts is accounted for.
TEST(Kcsan, EveryFileParsesTheSameCollapsed) {
  const std::vector<std::string> Names = reportFiles();
  EXPECT_GE(Names.size(), 20u);
  for (const std::string &Name : Names) {
    SCOPED_TRACE(Name);
    const std::string Text = readReport(Name);
    const KcsanParse P = parseKcsan(Text);
    expectAccountedFor(Text, P);
    if (Name != "17-garbage.txt")
      EXPECT_FALSE(P.Reports.empty());
    // Syslog prefixes and mail quotes are prefixes of lines: gone with the
    // line breaks.
    if (Name == "21-syslog-unreliable.txt" || Name == "22-quoted-reply.txt")
      continue;
    EXPECT_EQ(describe(parseKcsan(collapse(Text))), describe(P));
  }
}

// A report cut anywhere is either complete or one problem, never more.
TEST(Kcsan, TruncatedAnywhere) {
  const std::string Text = readReport("02-smc-multiline.txt");
  const size_t SecondHeader = Text.find("read to 0x");
  ASSERT_NE(SecondHeader, std::string::npos);
  size_t Kept = 0;
  for (size_t N = 0; N <= Text.size(); ++N) {
    const llvm::StringRef Prefix = llvm::StringRef(Text).take_front(N);
    const KcsanParse P = parseKcsan(Prefix);
    expectAccountedFor(Prefix, P);
    ASSERT_LE(P.Reports.size(), 1u);
    if (N < SecondHeader && !P.Reports.empty())
      EXPECT_FALSE(P.Reports[0].Complete) << N;
    Kept += !P.Reports.empty();
  }
  // From the first access header on, the cut report is kept.
  EXPECT_EQ(Kept, Text.size() + 1 - Text.find("write to 0x") -
                      llvm::StringRef("write to 0xffff88811a82089c of 4 bytes "
                                      "by task 3413 on cpu 0")
                          .size());
}

// Reports with random damage (words dropped, repeated, replaced by report
// words, lines broken or joined, cut short) and random bytes: no crash, and
// every report started is accounted for.
TEST(Kcsan, RandomDamage) {
  const char *const Vocabulary[] = {
      "BUG:", "KCSAN:", "data-race", "in", "/", "read", "write", "to", "of",
      "by", "task", "interrupt", "on", "cpu", "0:", "(marked)", "(marked,",
      "reordered)", "f+0x1/0x2", "g.isra.0", "a/b.c:12", "(a/b.c:3)",
      "[inline]", "[mod", "abc]", "?", "<IRQ>", "value", "changed:", "->",
      "|", "+->", "race", "origin,", "Reported", "==========", "[", "1.5]",
      "[ T12]", ">", "kernel:", "0x", "+0x/0x", ":", "(", ")"};
  std::vector<std::vector<std::string>> Inputs;
  for (const std::string &Name : reportFiles()) {
    const std::string Text = readReport(Name);
    llvm::SmallVector<llvm::StringRef, 0> Words;
    llvm::SplitString(Text, Words, " ");
    Inputs.emplace_back(Words.begin(), Words.end());
  }
  ASSERT_FALSE(Inputs.empty());
  // Deterministic on purpose: a failure must reproduce.
  std::mt19937 Rng(20250122); // NOLINT(bugprone-random-generator-seed)
  size_t Reports = 0, Complete = 0;
  for (int Round = 0; Round < 2000; ++Round) {
    std::vector<std::string> Words = Inputs[Rng() % Inputs.size()];
    for (unsigned Damage = Rng() % 6; Damage && !Words.empty(); --Damage) {
      const size_t At = Rng() % Words.size();
      const auto Pos = Words.begin() + static_cast<std::ptrdiff_t>(At);
      switch (Rng() % 6) {
      case 0:
        Words.erase(Pos);
        break;
      case 1:
        Words.insert(Pos, Words[At]);
        break;
      case 2:
        Words[At] = Vocabulary[Rng() % std::size(Vocabulary)];
        break;
      case 3:
        Words[At] += "\n";
        break;
      case 4:
        Words.resize(At);
        break;
      default:
        Words[At] += static_cast<char>(Rng() % 256);
        break;
      }
    }
    const std::string Text = llvm::join(Words, " ");
    const KcsanParse P = parseKcsan(Text);
    expectAccountedFor(Text, P);
    if (::testing::Test::HasFailure()) {
      ADD_FAILURE() << "input: " << Text;
      return;
    }
    Reports += P.Reports.size();
    Complete += llvm::count_if(
        P.Reports, [](const KcsanReport &R) { return R.Complete; });
  }
  // Most damage leaves reports to find; some must break them.
  EXPECT_GT(Reports, 800u);
  EXPECT_GT(Complete, 400u);
  EXPECT_LT(Complete, Reports);

  // Bytes at random.
  for (int Round = 0; Round < 500; ++Round) {
    std::string Text;
    for (unsigned Len = Rng() % 2000; Len; --Len)
      Text += static_cast<char>(Rng() % 256);
    expectAccountedFor(Text, parseKcsan(Text));
  }
}

// Large and pathological inputs: linear, no recursion per token.
TEST(Kcsan, LargeInputs) {
  const std::string Report = readReport("02-smc-multiline.txt");
  std::string Many;
  for (int I = 0; I < 2000; ++I)
    Many += Report + "some unrelated console line [ 1.0] [inline]\n";
  const KcsanParse P = parseKcsan(Many);
  ASSERT_EQ(P.Reports.size(), 2000u);
  EXPECT_TRUE(P.Problems.empty());
  const unsigned LinesEach = llvm::StringRef(Report).count('\n') + 1;
  EXPECT_EQ(P.Reports[1999].Line, (1999 * LinesEach) + 2);
  EXPECT_EQ(describe(parseKcsan(collapse(Many))), describe(P));

  // One stack of 200000 frames, each "f (x.c:1) m" to exercise the module
  // look-ahead, in the one-line form.
  std::string Deep = "BUG: KCSAN: data-race in f / g read to 0x1 of 4 bytes "
                     "by task 1 on cpu 0: ";
  for (int I = 0; I < 200000; ++I)
    Deep += "f (x.c:1) m ";
  Deep += "write to 0x1 of 4 bytes by task 2 on cpu 1: g+0x1/0x2";
  const KcsanParse D = parseKcsan(Deep);
  ASSERT_EQ(D.Reports.size(), 1u);
  ASSERT_EQ(D.Reports[0].Accesses.size(), 2u);
  EXPECT_EQ(D.Reports[0].Accesses[0].Frames.size(), 200000u);
  EXPECT_EQ(D.Reports[0].Accesses[0].Frames.back().Module, "m");
  EXPECT_TRUE(D.Reports[0].Complete);

  // Many starts that go nowhere, and brackets that are no timestamps.
  std::string Starts;
  for (int I = 0; I < 100000; ++I)
    Starts += "BUG: KCSAN: [[[[ [ 1. ";
  const KcsanParse S = parseKcsan(Starts);
  EXPECT_TRUE(S.Reports.empty());
  EXPECT_EQ(S.Problems.size(), 100000u);
}

TEST(Kcsan, ShapesInline) {
  // A one-function title with a module; markers inside the stack; a
  // second header the title does not announce is left alone.
  const KcsanParse P = parseKcsan(
      "BUG: KCSAN: data-race in foo_tick+0x10/0x40 [foo]\n"
      "race at unknown origin, with read-write (marked) to 0xffff0010 of 2 "
      "bytes by interrupt on cpu 3:\n"
      " <IRQ>\n foo_tick+0x10/0x40 [foo]\n </IRQ>\n <TASK>\n"
      " bar+0x1/0x2 kernel/bar.c:7\n\n"
      "write to 0xffff0010 of 2 bytes by task 9 on cpu 1:\n"
      " baz+0x1/0x2\n\nvalue changed: 0x0001 -> 0x0002\n");
  ASSERT_EQ(P.Reports.size(), 1u);
  const KcsanReport &R = P.Reports[0];
  EXPECT_EQ(R.Title, "KCSAN: data-race in foo_tick+0x10/0x40 [foo]");
  EXPECT_EQ(R.TitleFunctions, std::vector<std::string>{"foo_tick"});
  EXPECT_TRUE(R.UnknownOrigin);
  ASSERT_EQ(R.Accesses.size(), 1u);
  EXPECT_EQ(R.Accesses[0].Kind, KcsanAccessKind::ReadWrite);
  EXPECT_TRUE(R.Accesses[0].Marked);
  EXPECT_TRUE(R.Accesses[0].Interrupt);
  EXPECT_EQ(R.Accesses[0].Size, 2u);
  ASSERT_EQ(R.Accesses[0].Frames.size(), 2u);
  EXPECT_EQ(R.Accesses[0].Frames[0].Module, "foo");
  EXPECT_EQ(R.Accesses[0].Frames[1].Line, 7u);
  // The report ended at the unexpected header: no value change seen.
  EXPECT_TRUE(R.OldValue.empty());
  EXPECT_FALSE(R.Complete);
  EXPECT_EQ(P.Problems.size(), 1u);
}

TEST(Kcsan, BrokenTitleKeepsTheNextStart) {
  const KcsanParse P = parseKcsan(
      "BUG: KCSAN: BUG: KCSAN: data-race in f\n"
      "read to 0x1 of 4 bytes by task 1 on cpu 0: f+0x1/0x2 "
      "BUG: KCSAN: data-race BUG: KCSAN: data-race in g "
      "write to 0x2 of 8 bytes by task 2 on cpu 1: g+0x1/0x2");
  ASSERT_EQ(P.Reports.size(), 2u);
  EXPECT_EQ(P.Reports[0].TitleFunctions[0], "f");
  EXPECT_EQ(P.Reports[1].TitleFunctions[0], "g");
  EXPECT_EQ(P.Reports[1].Accesses[0].Size, 8u);
  EXPECT_EQ(P.Problems.size(), 2u);
}

TEST(Kcsan, MalformedHeadersAreNotAccesses) {
  // Each header is wrong in one place; none may count.
  for (const char *Header :
       {"read to 0x1 of four bytes by task 1 on cpu 0:",
        "read to 1 of 4 bytes by task 1 on cpu 0:",
        "read to 0x1 of 4 bytes by task x on cpu 0:",
        "read to 0x1 of 4 bytes by task 1 on cpu :",
        "readx to 0x1 of 4 bytes by task 1 on cpu 0:",
        "read (marked to 0x1 of 4 bytes by task 1 on cpu 0:",
        "read to 0x1 of 4 bytes on cpu 0:",
        "assert no reads to 0x1 of 4 bytes by task 1 on cpu 0:"}) {
    SCOPED_TRACE(Header);
    const std::string Text =
        std::string("BUG: KCSAN: data-race in f\n") + Header + "\n f+0x1/0x2\n";
    const KcsanParse P = parseKcsan(Text);
    EXPECT_TRUE(P.Reports.empty());
    ASSERT_EQ(P.Problems.size(), 1u);
    EXPECT_EQ(P.Problems[0], "line 1: KCSAN: data-race in f: dropped: no "
                             "access header");
  }
  // And the same header, right, is one.
  EXPECT_EQ(parseKcsan("BUG: KCSAN: data-race in f\nread to 0x1 of 4 bytes "
                       "by task 1 on cpu 0:\n f+0x1/0x2\n")
                .Reports.size(),
            1u);
}

TEST(Kcsan, AccessKindNames) {
  EXPECT_EQ(kcsanAccessKindName(KcsanAccessKind::Read), "read");
  EXPECT_EQ(kcsanAccessKindName(KcsanAccessKind::Write), "write");
  EXPECT_EQ(kcsanAccessKindName(KcsanAccessKind::ReadWrite), "read-write");
  EXPECT_EQ(kcsanAccessKindName(KcsanAccessKind::AssertNoWrites),
            "assert no writes");
  EXPECT_EQ(kcsanAccessKindName(KcsanAccessKind::AssertNoAccesses),
            "assert no accesses");
}

} // namespace
