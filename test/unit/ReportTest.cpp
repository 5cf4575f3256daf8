//===- ReportTest.cpp - Diffs, NOLINT, subjects ----------------------------===//

#include "kmark/Report.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

using namespace kmark;

namespace {

TEST(Report, UnifiedDiffOfOneEdit) {
  std::string Old = "a\nb\nc\nd\n    x = v;\ne\nf\ng\nh\n";
  size_t Pos = Old.find("x = v");
  std::vector<Edit> E = {{static_cast<uint32_t>(Pos), 0, "WRITE_ONCE("},
                         {static_cast<uint32_t>(Pos + 1), 3, ", "},
                         {static_cast<uint32_t>(Pos + 5), 0, ")"}};
  std::string D = unifiedDiff("f.c", Old, E);
  EXPECT_EQ(D, "--- a/f.c\n+++ b/f.c\n@@ -2,7 +2,7 @@\n b\n c\n d\n"
               "-    x = v;\n+    WRITE_ONCE(x, v);\n e\n f\n g\n");
}

TEST(Report, UnifiedDiffMergesCloseHunks) {
  std::string Old;
  for (int I = 1; I <= 30; ++I)
    Old += "line" + std::to_string(I) + "\n";
  auto At = [&](const char *S) {
    return static_cast<uint32_t>(Old.find(S));
  };
  std::vector<Edit> E = {{At("line5\n"), 0, "X"}, {At("line9\n"), 0, "Y"},
                         {At("line25\n"), 0, "Z"}};
  std::string D = unifiedDiff("f.c", Old, E);
  EXPECT_NE(D.find("@@ -2,11 +2,11 @@"), std::string::npos) << D;
  EXPECT_NE(D.find("@@ -22,7 +22,7 @@"), std::string::npos) << D;
}

TEST(Report, NolintForms) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("kmark-nolint", Dir));
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS((Dir + "/f.c").str(), EC);
    OS << "a; // NOLINT\n"                                 // 1
       << "b; // NOLINT(kmark-missing-read-once)\n"       // 2
       << "c; // NOLINT(kmark-*)\n"                        // 3
       << "// NOLINT" "NEXTLINE(kmark-missing-write-once)\n"  // 4
       << "d;\n"                                           // 5
       << "// NOLINT" "BEGIN(kmark-*)\n"                // 6
       << "e;\n"                                           // 7
       << "// NOLINT" "END(kmark-*)\n"                // 8
       << "f;\n";                                          // 9
  }
  SourceCache S{std::string(Dir)};
  const char *W = "kmark-missing-write-once";
  EXPECT_TRUE(isSuppressed(S, "f.c", 1, 1, W));
  EXPECT_FALSE(isSuppressed(S, "f.c", 2, 1, W));
  EXPECT_TRUE(isSuppressed(S, "f.c", 3, 1, W));
  EXPECT_TRUE(isSuppressed(S, "f.c", 5, 1, W));
  EXPECT_TRUE(isSuppressed(S, "f.c", 7, 1, W));
  EXPECT_FALSE(isSuppressed(S, "f.c", 9, 1, W));
  (void)llvm::sys::fs::remove_directories(Dir);
}

// The forms where a line-by-line reading and clang-tidy disagree.
TEST(Report, NolintAsClangTidyReadsIt) {
  const char *W = "kmark-missing-write-once";
  auto At = [](llvm::StringRef Text, llvm::StringRef Needle) {
    return Text.find(Needle);
  };
  // Globs anywhere in the name; negative globs dropped; spaces ignored.
  llvm::StringRef T1 = "x; // NOLINT(kmark-*-once)\n";
  EXPECT_TRUE(nolintCovers(T1, At(T1, "x"), W));
  llvm::StringRef T2 = "x; // NOLINT( bugprone-* , kmark-missing-write-once )\n";
  EXPECT_TRUE(nolintCovers(T2, At(T2, "x"), W));
  llvm::StringRef T3 = "x; // NOLINT(-kmark-missing-write-once)\n";
  EXPECT_FALSE(nolintCovers(T3, At(T3, "x"), W));
  // NOLINT() covers nothing; an unclosed list covers everything.
  llvm::StringRef T4 = "x; // NOLINT()\n";
  EXPECT_FALSE(nolintCovers(T4, At(T4, "x"), W));
  llvm::StringRef T5 = "x; // NOLINT(kmark-missing-read-once\n";
  EXPECT_TRUE(nolintCovers(T5, At(T5, "x"), W));
  // Other letters make no directive; the NEXTLINE form does not cover its
  // own line.
  llvm::StringRef T6 = "x; // NOLINT" "FOO\n";
  EXPECT_FALSE(nolintCovers(T6, At(T6, "x"), W));
  llvm::StringRef T7 = "x; // NOLINT" "NEXTLINE\ny;\n";
  EXPECT_FALSE(nolintCovers(T7, At(T7, "x"), W));
  EXPECT_TRUE(nolintCovers(T7, At(T7, "y"), W));
  // A block ends only at an END with the same list; a mismatched END leaves
  // the BEGIN unmatched, and then nothing is covered.
  llvm::StringRef T8 = "// NOLINT" "BEGIN(kmark-*)\nx;\n// NOLINT" "END(*)\ny;\n";
  EXPECT_FALSE(nolintCovers(T8, At(T8, "x"), W));
  EXPECT_FALSE(nolintCovers(T8, At(T8, "y"), W));
  // Text after a BEGIN on its own line is inside the block.
  llvm::StringRef T9 = "/* NOLINT" "BEGIN */ x;\n// NOLINT" "END\ny;\n";
  EXPECT_TRUE(nolintCovers(T9, At(T9, "x"), W));
  EXPECT_FALSE(nolintCovers(T9, At(T9, "y"), W));
}

TEST(Report, SubjectPrefixes) {
  EXPECT_EQ(subjectPrefix("net/ipv6/tcp_ipv6.c"), "tcp");
  EXPECT_EQ(subjectPrefix("net/ipv4/tcp.c"), "tcp");
  EXPECT_EQ(subjectPrefix("net/ipv4/af_inet.c"), "ipv4");
  EXPECT_EQ(subjectPrefix("net/smc/af_smc.c"), "net/smc");
  EXPECT_EQ(subjectPrefix("net/unix/af_unix.c"), "af_unix");
  EXPECT_EQ(subjectPrefix("net/mptcp/protocol.c"), "mptcp");
  EXPECT_EQ(subjectPrefix("fs/ext4/inode.c"), "ext4");
  EXPECT_EQ(subjectPrefix("mm/slub.c"), "mm");
  EXPECT_EQ(subjectPrefix("kernel/sched/core.c"), "sched");
}

} // namespace

namespace {

TEST(Report, ShiftEditsPastEarlierOnes) {
  std::string Text = "a = 1;\nb = 2;\n";
  std::vector<Edit> First = {{0, 0, "WRITE_ONCE("}, {1, 3, ", "}, {5, 0, ")"}};
  std::vector<Edit> Second = {{7, 0, "WRITE_ONCE("}, {8, 3, ", "}, {12, 0, ")"}};
  std::string After = applyEdits(Text, First);
  EXPECT_EQ(applyEdits(After, shiftEdits(First, Second)),
            "WRITE_ONCE(a, 1);\nWRITE_ONCE(b, 2);\n");
}

} // namespace
