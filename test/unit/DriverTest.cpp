//===- DriverTest.cpp - Patches, kbuild's arguments, the findings' order --===//
//
// kmarkDriverLib: the lines kmark diff takes from a patch, the arguments of
// kmark check and kmark extract, the findings a command reports.
//
//===----------------------------------------------------------------------===//

#include "Driver.h"
#include "TreeConfig.h"

#include "kmark/Report.h"
#include "kmark/Rules.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

using namespace kmark;
using namespace kmark::driver;

namespace {

using Ranges = std::vector<std::pair<unsigned, unsigned>>;

// A change to one file, a new file, a deleted one, as git writes them.
const char *const GitPatch =
    "diff --git a/net/smc/af_smc.c b/net/smc/af_smc.c\n"
    "index 1111111..2222222 100644\n"
    "--- a/net/smc/af_smc.c\n"
    "+++ b/net/smc/af_smc.c\n"
    "@@ -10,6 +10,7 @@ static int smc_release(struct socket *sock)\n"
    " \tint rc = 0;\n"
    "+\tsmc->flag = 1;\n"
    "@@ -40 +41 @@ static void smc_close(struct smc_sock *smc)\n"
    "-\tsmc->state = 0;\n"
    "+\tWRITE_ONCE(smc->state, 0);\n"
    "@@ -60,2 +61,0 @@\n"
    "-\tx = 1;\n"
    "-\ty = 2;\n"
    "diff --git a/net/smc/smc_new.c b/net/smc/smc_new.c\n"
    "new file mode 100644\n"
    "--- /dev/null\n"
    "+++ b/net/smc/smc_new.c\t2024-01-01 00:00:00\n"
    "@@ -0,0 +1,3 @@\n"
    "+int a;\n"
    "+int b;\n"
    "+int c;\n"
    "diff --git a/net/smc/smc_old.c b/net/smc/smc_old.c\n"
    "deleted file mode 100644\n"
    "--- a/net/smc/smc_old.c\n"
    "+++ /dev/null\n"
    "@@ -1,2 +0,0 @@\n"
    "-int a;\n"
    "-int b;\n";

TEST(Driver, PatchLinesPerFile) {
  auto Changed = parsePatch(GitPatch, 1);
  // The deleted file has no lines; a hunk that only removes adds none.
  ASSERT_EQ(Changed.size(), 2U);
  EXPECT_EQ(Changed["net/smc/af_smc.c"], (Ranges{{10, 16}, {41, 41}}));
  EXPECT_EQ(Changed["net/smc/smc_new.c"], (Ranges{{1, 3}}));
  EXPECT_EQ(Changed.count("net/smc/smc_old.c"), 0U);
}

TEST(Driver, PatchStripsLikePatchP) {
  auto P0 = parsePatch(GitPatch, 0);
  EXPECT_EQ(P0.count("b/net/smc/af_smc.c"), 1U);
  EXPECT_EQ(P0.count("net/smc/af_smc.c"), 0U);
  auto P2 = parsePatch(GitPatch, 2);
  EXPECT_EQ(P2["smc/af_smc.c"], (Ranges{{10, 16}, {41, 41}}));
  // Never more than the path has: the file name stays.
  auto P9 = parsePatch(GitPatch, 9);
  EXPECT_EQ(P9["smc_new.c"], (Ranges{{1, 3}}));
}

TEST(Driver, CheckArgsDropSparseFlags) {
  CheckArgs A = parseCheckArgs(
      {"-Wbitwise", "-Wno-return-void", "-Wcontext", "--arch=x86_64",
       "-D__STDC__", "-Wp,-MMD,net/smc/.af_smc.o.d", "-nostdinc",
       "-I./arch/x86/include", "-DKBUILD_MODNAME=\"smc\"", "-D__KERNEL__",
       "--kmark-index=/t/.kmark/index.kmi", "--kmark-min-confidence=high",
       "--kmark-baseline=base.json", "net/smc/af_smc.c"});
  EXPECT_EQ(A.CompilerArgs,
            (std::vector<std::string>{"-nostdinc", "-I./arch/x86/include",
                                      "-DKBUILD_MODNAME=\"smc\"",
                                      "-D__KERNEL__",
                                      "-Wno-unknown-warning-option"}));
  EXPECT_EQ(A.Files, (std::vector<std::string>{"net/smc/af_smc.c"}));
  EXPECT_EQ(A.Index, "/t/.kmark/index.kmi");
  EXPECT_EQ(A.MinConfidence, "high");
  EXPECT_EQ(A.Baseline, "base.json");
  EXPECT_EQ(A.ShardDir, "");
  EXPECT_EQ(A.Model, "");
}

TEST(Driver, ExtractArgs) {
  std::string Error;
  std::optional<ExtractArgs> A = parseExtractArgs(
      {"--shard-dir=/s", "--directory=/d", "--file=/d/a.c", "--model=/m.yaml",
       "--model=/x.yaml", "--", "clang", "--file=b.c", "-c", "a.c"},
      Error);
  if (!A)
    FAIL() << Error;
  EXPECT_EQ(A->ShardDir, "/s");
  EXPECT_EQ(A->Directory, "/d");
  // What follows -- is the compiler's, even when it looks like kmark's.
  EXPECT_EQ(A->File, "/d/a.c");
  EXPECT_EQ(A->Models, (std::vector<std::string>{"/m.yaml", "/x.yaml"}));
  EXPECT_EQ(A->Command,
            (std::vector<std::string>{"clang", "--file=b.c", "-c", "a.c"}));
}

TEST(Driver, ExtractArgsMissing) {
  const std::string Expected =
      "expected --shard-dir=, --directory=, --file= and -- COMMAND";
  std::string Error;
  // No --file=.
  EXPECT_FALSE(parseExtractArgs(
      {"--shard-dir=/s", "--directory=/d", "--", "clang", "a.c"}, Error));
  EXPECT_EQ(Error, Expected);
  // No command.
  Error.clear();
  EXPECT_FALSE(parseExtractArgs(
      {"--shard-dir=/s", "--directory=/d", "--file=/d/a.c"}, Error));
  EXPECT_EQ(Error, Expected);
  Error.clear();
  EXPECT_FALSE(parseExtractArgs(
      {"--shard-dir=/s", "--directory=/d", "--file=/d/a.c", "--"}, Error));
  EXPECT_EQ(Error, Expected);
  Error.clear();
  EXPECT_FALSE(parseExtractArgs({"--shard-dir=/s", "-j", "--directory=/d",
                                 "--file=/d/a.c", "--", "clang"},
                                Error));
  EXPECT_EQ(Error, "unknown argument '-j'");
}

TEST(Driver, UnderAny) {
  EXPECT_TRUE(underAny("net/smc/af_smc.c", {}));
  EXPECT_TRUE(underAny("net/smc/af_smc.c", {"mm", "net/smc"}));
  EXPECT_TRUE(underAny("net/smc/af_smc.c", {"net/"}));
  EXPECT_TRUE(underAny("net/smc/af_smc.c", {"net/smc/af_smc.c"}));
  // A prefix of a name is not a directory.
  EXPECT_FALSE(underAny("net/smc/af_smc.c", {"net/sm"}));
  EXPECT_FALSE(underAny("net/smc/af_smc.c", {"mm"}));
}

Access site(llvm::StringRef Field, llvm::StringRef File, uint32_t Line) {
  Access A;
  A.Field = Field;
  A.File = File;
  A.Line = Line;
  A.Col = 2;
  A.Begin = Line * 100;
  return A;
}

Finding finding(const Access &A, unsigned Confidence) {
  Finding F;
  F.Check = CheckKind::MissingWriteOnce;
  F.Site = &A;
  F.Confidence = Confidence;
  return F;
}

TEST(Driver, SelectFindings) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("kmark-select", Dir));
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS((Dir + "/f.c").str(), EC);
    ASSERT_FALSE(EC);
    OS << "a;\nb;\nc; // NOLINT(kmark-missing-write-once)\nd;\ne;\n";
  }
  SourceCache Sources{std::string(Dir)};
  Access B2 = site("s::b", "f.c", 2), G1 = site("s::a", "g.c", 1),
         A4 = site("s::a", "f.c", 4), A5 = site("s::a", "f.c", 5),
         A3 = site("s::a", "f.c", 3);
  std::vector<Finding> All = {finding(B2, 60), finding(G1, 60),
                              finding(A4, 90), finding(A5, 40),
                              finding(A3, 90)};
  std::vector<Finding> Out = selectFindings(std::move(All), 50, Sources);
  // A5 is below the threshold, A3 has a NOLINT; the rest by field, then
  // file, then place.
  std::vector<const Access *> Sites;
  Sites.reserve(Out.size());
  for (const Finding &F : Out)
    Sites.push_back(F.Site);
  EXPECT_EQ(Sites, (std::vector<const Access *>{&A4, &G1, &B2}));
  (void)llvm::sys::fs::remove_directories(Dir);
}

TEST(Driver, TreeConfigAsClangTidyReadsIt) {
  // The list spelling of CheckOptions; a check's own key beats the global
  // one; relative model paths from the tree's root; other keys ignored.
  llvm::Expected<TreeConfig> C = parseTreeConfig(
      "Checks: '-*,kmark-*'\n"
      "WarningsAsErrors: ''\n"
      "CheckOptions:\n"
      "  - key: MinConfidence\n"
      "    value: high\n"
      "  - key: kmark-missing-read-once.MinConfidence\n"
      "    value: low\n"
      "  - key: KernelModelExtensions\n"
      "    value: 'a.yaml; /abs/b.yaml'\n"
      "  - key: CheckHeaders\n"
      "    value: 'true'\n",
      "/t/.clang-tidy", "/t");
  ASSERT_TRUE(static_cast<bool>(C)) << llvm::toString(C.takeError());
  EXPECT_EQ(C->MinConfidence, std::optional<std::string>("low"));
  EXPECT_EQ(C->ModelExtensions,
            (std::vector<std::string>{"/t/a.yaml", "/abs/b.yaml"}));
  EXPECT_EQ(C->CheckHeaders, std::optional<bool>(true));
  EXPECT_FALSE(C->KernelModel);

  llvm::Expected<TreeConfig> Bad = parseTreeConfig(
      "CheckOptions:\n  CheckHeaders: perhaps\n", "/t/.clang-tidy", "/t");
  ASSERT_FALSE(static_cast<bool>(Bad));
  EXPECT_NE(llvm::toString(Bad.takeError()).find("CheckHeaders"),
            std::string::npos);
}

} // namespace
