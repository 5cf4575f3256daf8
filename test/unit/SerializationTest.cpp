//===- SerializationTest.cpp ----------------------------------------------===//

#include "Helpers.h"

#include "kmark/Serialization.h"

#include "gtest/gtest.h"
#include "llvm/Support/xxhash.h"

#include <random>

using namespace kmark;

namespace {

std::string sampleShard() {
  test::FactsBuilder B("net/ipv6/tcp_ipv6.c");
  B.access("tcp_sock::tsoffset", "tcp_v6_connect", AccessKind::Store,
           Marking::Plain, 324);
  B.access("tcp_sock::tsoffset", "tcp_v6_connect", AccessKind::Load,
           Marking::ReadOnce, 330)
      .Flags = AF_InMacroArg;
  B.set().Files.front().Accesses.back().Locks =
      test::locks(B.set(), "tcp_sock::lock;-rtnl;?(shared)");
  PublishCall Calls[2];
  Calls[0].Callee = "inet_hash_connect";
  Calls[0].Arg = 2;
  Calls[1].Before = true;
  B.set().Files.front().Accesses.front().Publication =
      B.set().save(llvm::ArrayRef<PublishCall>(Calls));
  B.function("tcp_v6_connect");
  B.slot("proto", "connect", "tcp_v6_connect");
  B.call("tcp_v6_connect", "secure_tcpv6_ts_off");
  return encodeFacts(FactsKind::Shard, B.set());
}

TEST(Serialization, RoundTrip) {
  std::string Data = sampleShard();
  FactSet S;
  ASSERT_FALSE(llvm::errorToBool(decodeFacts(Data, FactsKind::Shard, S)));
  ASSERT_EQ(S.Files.size(), 1u);
  const FileFacts &F = S.Files[0];
  EXPECT_EQ(F.Path, "net/ipv6/tcp_ipv6.c");
  ASSERT_EQ(F.Accesses.size(), 2u);
  EXPECT_EQ(F.Accesses[0].Field, "tcp_sock::tsoffset");
  EXPECT_EQ(F.Accesses[0].Kind, AccessKind::Store);
  EXPECT_EQ(F.Accesses[0].Line, 324u);
  EXPECT_EQ(F.Accesses[0].RhsText, "v");
  ASSERT_EQ(F.Accesses[0].Publication.size(), 2u);
  EXPECT_EQ(F.Accesses[0].Publication[0].Callee, "inet_hash_connect");
  EXPECT_EQ(F.Accesses[0].Publication[0].Arg, 2u);
  EXPECT_FALSE(F.Accesses[0].Publication[0].Before);
  EXPECT_TRUE(F.Accesses[0].Publication[1].primitive());
  EXPECT_TRUE(F.Accesses[0].Publication[1].Before);
  EXPECT_TRUE(F.Accesses[1].Publication.empty());
  EXPECT_EQ(F.Accesses[1].Mark, Marking::ReadOnce);
  EXPECT_TRUE(F.Accesses[1].has(AF_InMacroArg));
  EXPECT_EQ(lockListText(F.Accesses[1].Locks),
            "?(shared);-rtnl;tcp_sock::lock");
  ASSERT_EQ(F.Slots.size(), 1u);
  EXPECT_EQ(F.Slots[0].OpsType, "proto");
  EXPECT_TRUE(F.Slots[0].Static);
  ASSERT_EQ(F.Calls.size(), 1u);
  ASSERT_EQ(S.TUs.size(), 1u);
  EXPECT_EQ(S.TUs[0].MainFile, "net/ipv6/tcp_ipv6.c");
  // Encoding again gives the same bytes.
  EXPECT_EQ(encodeFacts(FactsKind::Shard, S), Data);
}

TEST(Serialization, RejectsWrongKind) {
  FactSet S;
  llvm::Error E = decodeFacts(sampleShard(), FactsKind::Index, S);
  ASSERT_TRUE(bool(E));
  EXPECT_NE(llvm::toString(std::move(E)).find("this file is a kmark shard"),
            std::string::npos);
}

TEST(Serialization, RejectsTruncationAtEveryLength) {
  std::string Data = sampleShard();
  for (size_t N = 0; N < Data.size(); ++N) {
    FactSet S;
    EXPECT_TRUE(llvm::errorToBool(
        decodeFacts(llvm::StringRef(Data).take_front(N), FactsKind::Shard, S)))
        << "length " << N;
  }
}

TEST(Serialization, RejectsOtherVersions) {
  std::string Data = sampleShard();
  Data[8] = static_cast<char>(FormatVersion + 1);
  FactSet S;
  llvm::Error E = decodeFacts(Data, FactsKind::Shard, S);
  ASSERT_TRUE(bool(E));
  EXPECT_NE(llvm::toString(std::move(E)).find("format version"),
            std::string::npos);
}

// Corrupt payloads with a valid checksum must be rejected by the bounds
// checks, never crash: recompute the checksum after flipping bytes.
TEST(Serialization, SurvivesCorruptPayloads) {
  std::string Data = sampleShard();
  // A fixed seed: the test must be repeatable.
  std::mt19937 Rng(42); // NOLINT(bugprone-random-generator-seed)
  for (int Round = 0; Round < 2000; ++Round) {
    std::string D = Data;
    std::uniform_int_distribution<size_t> Pos(32, D.size() - 1);
    for (int K = 0; K < 1 + (Round % 4); ++K)
      D[Pos(Rng)] = static_cast<char>(Rng());
    // Fix the checksum so the decoder's structural checks are exercised.
    llvm::StringRef Body = llvm::StringRef(D).drop_front(32);
    uint64_t H = llvm::xxh3_64bits(Body);
    for (int I = 0; I < 8; ++I)
      D[24 + I] = static_cast<char>((H >> (8 * I)) & 0xff);
    FactSet S;
    llvm::consumeError(decodeFacts(D, FactsKind::Shard, S));
  }
}

TEST(Serialization, CanonicalPaths) {
  EXPECT_EQ(canonicalPath("./include/net/sock.h", "/src/linux", ""),
            "include/net/sock.h");
  EXPECT_EQ(canonicalPath("net/ipv4/../ipv6/tcp_ipv6.c", "/src/linux", ""),
            "net/ipv6/tcp_ipv6.c");
  EXPECT_EQ(canonicalPath("/usr/include/stdio.h", "/src/linux", ""),
            "/usr/include/stdio.h");
  EXPECT_EQ(canonicalPath("/src/linux2/x.c", "/src/linux", ""),
            "/src/linux2/x.c");
}

} // namespace

namespace {

// Found by the fuzzer: an integer of more than 64 bits must be rejected
// before it is shifted, not decoded with undefined behaviour.
TEST(Serialization, RejectsOverlongIntegers) {
  std::string Data = sampleShard();
  std::string Body(12, '\xff');
  Body += '\x7f';
  Data.replace(32, std::string::npos, Body);
  uint64_t H = llvm::xxh3_64bits(Body);
  for (int I = 0; I < 8; ++I) {
    Data[16 + I] = static_cast<char>((Body.size() >> (8 * I)) & 0xff);
    Data[24 + I] = static_cast<char>((H >> (8 * I)) & 0xff);
  }
  FactSet S;
  llvm::Error E = decodeFacts(Data, FactsKind::Shard, S);
  ASSERT_TRUE(bool(E));
  EXPECT_NE(llvm::toString(std::move(E)).find("too big for 64 bits"),
            std::string::npos);
}

} // namespace
