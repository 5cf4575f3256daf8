//===- IndexTest.cpp - Merging shards -------------------------------------===//

#include "Helpers.h"

#include "kmark/Index.h"
#include "kmark/Serialization.h"

#include "gtest/gtest.h"

#include <algorithm>

using namespace kmark;

namespace {

/// A TU with its own main file and a shared header.
std::unique_ptr<FactSet> tu(const std::string &Main, int HeaderAccesses) {
  test::FactsBuilder B(Main);
  B.access("s::f", "main_fn@" + Main, AccessKind::Store, Marking::Plain, 10);
  FactSet &S = B.set();
  S.Files.emplace_back();
  FileFacts &H = S.Files.back();
  H.Path = S.save("include/shared.h");
  H.Digest = 77;
  for (int I = 0; I < HeaderAccesses; ++I) {
    Access A;
    A.Field = S.save("s::g");
    A.Function = S.save("helper@include/shared.h");
    A.File = H.Path;
    A.Line = 5 + I;
    A.Mark = Marking::ReadOnce;
    H.Accesses.push_back(A);
  }
  S.TUs.front().Files.push_back(H.Path);
  return B.take();
}

TEST(Merger, HeaderCountedOnce) {
  Merger M;
  for (const char *Name : {"a.c", "b.c", "c.c"})
    M.add(*tu(Name, 2));
  std::unique_ptr<FactSet> Out = M.finish();
  Index Idx({Out.get()});
  EXPECT_EQ(Idx.accessesOf("s::g").size(), 2u);
  EXPECT_EQ(Idx.accessesOf("s::f").size(), 3u);
  EXPECT_EQ(Idx.tus().size(), 3u);
}

TEST(Merger, OrderDoesNotMatter) {
  std::vector<std::string> Names = {"a.c", "b.c", "c.c", "d.c"};
  std::string First;
  do {
    Merger M;
    // The same header with different facts in different TUs: the union,
    // whatever the arrival order.
    for (const std::string &N : Names)
      M.add(*tu(N, N == "a.c" ? 1 : 3));
    std::string Encoded = encodeFacts(FactsKind::Index, *M.finish());
    if (First.empty())
      First = Encoded;
    EXPECT_EQ(Encoded, First);
  } while (std::next_permutation(Names.begin(), Names.end()));
}

TEST(Merger, SameHeaderFromTwoTUsIsTheUnion) {
  Merger M;
  M.add(*tu("a.c", 1));
  M.add(*tu("b.c", 3));
  auto Out = M.finish();
  Index Idx({Out.get()});
  EXPECT_EQ(Idx.accessesOf("s::g").size(), 3u);
}

TEST(Merger, BuildVariantsMergeToOneIndexInAnyOrder) {
  // A module TU and a built-in TU see different functions in one header.
  auto Module = tu("m.c", 1);
  Module->Files[1].Variant = 1;
  auto Builtin = tu("b.c", 3);
  std::string First;
  for (bool Reverse : {false, true}) {
    Merger M;
    M.add(Reverse ? *Builtin : *Module);
    M.add(Reverse ? *Module : *Builtin);
    std::string Encoded = encodeFacts(FactsKind::Index, *M.finish());
    if (First.empty())
      First = Encoded;
    EXPECT_EQ(Encoded, First);
  }
}

TEST(Merger, NewerHeaderOnDiskWins) {
  auto Old = tu("a.c", 1);
  auto New = tu("b.c", 2);
  New->Files[1].Digest = 99; // b.c saw a changed header
  for (bool Reverse : {false, true}) {
    Merger M;
    M.add(Reverse ? *New : *Old);
    M.add(Reverse ? *Old : *New);
    auto Out = M.finish([](llvm::StringRef) { return static_cast<uint64_t>(99); });
    Index Idx({Out.get()});
    EXPECT_EQ(Idx.accessesOf("s::g").size(), 2u);
  }
}

TEST(Index, LaterLayerReplacesFiles) {
  auto Tree = tu("a.c", 1);
  test::FactsBuilder Fresh("a.c");
  Fresh.access("s::f", "main_fn@a.c", AccessKind::Load, Marking::Plain, 20);
  Fresh.access("s::f", "main_fn@a.c", AccessKind::Load, Marking::Plain, 21);
  Index Idx({Tree.get(), &Fresh.set()});
  // a.c comes from the fresh layer; the header from the tree.
  EXPECT_EQ(Idx.accessesOf("s::f").size(), 2u);
  EXPECT_EQ(Idx.accessesOf("s::g").size(), 1u);
}

TEST(Index, SlotsAndCallers) {
  test::FactsBuilder B("x.c");
  B.slot("proto_ops", "poll", "tcp_poll");
  B.slot("proto_ops", "poll", "smc_poll");
  B.call("tcp_v4_init_sock", "tcp_init_sock");
  Index Idx({&B.set()});
  EXPECT_EQ(Idx.fillersOf("proto_ops", "poll").size(), 2u);
  EXPECT_EQ(Idx.slotsOf("smc_poll").size(), 1u);
  ASSERT_EQ(Idx.callersOf("tcp_init_sock").size(), 1u);
  EXPECT_EQ(Idx.callersOf("tcp_init_sock")[0], "tcp_v4_init_sock");
}

} // namespace
