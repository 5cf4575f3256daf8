//===- RulesTest.cpp - The rules, on hand-made facts ----------------------===//

#include "Helpers.h"

#include "kmark/Rules.h"

#include "gtest/gtest.h"

#include <algorithm>

using namespace kmark;

namespace {

std::vector<const Access *> plainIn(const FactSet &S) {
  std::vector<const Access *> C;
  for (const FileFacts &F : S.Files)
    for (const Access &A : F.Accesses)
      if (A.Mark == Marking::Plain)
        C.push_back(&A);
  return C;
}

std::vector<Finding> analyze(const FactSet &S) {
  Index Idx({&S});
  Analyzer An(Idx, test::kernelModel());
  return An.analyze(plainIn(S));
}

// The tcp_v4/tcp_v6 shape: a peer in proto.connect marks the store and a
// lockless reader reads with READ_ONCE().
TEST(Rules, StoreWithPeerAndReaderIsHigh) {
  test::FactsBuilder B("t.c");
  B.access("tcp_sock::tsoffset", "tcp_v6_connect", AccessKind::Store,
           Marking::Plain, 10);
  B.access("tcp_sock::tsoffset", "tcp_v4_connect", AccessKind::Store,
           Marking::WriteOnce, 20);
  B.access("tcp_sock::tsoffset", "do_tcp_getsockopt", AccessKind::Load,
           Marking::ReadOnce, 30);
  B.slot("proto", "connect", "tcp_v4_connect");
  B.slot("proto", "connect", "tcp_v6_connect");
  std::vector<Finding> F = analyze(B.set());
  ASSERT_EQ(F.size(), 1u);
  EXPECT_EQ(F[0].Check, CheckKind::MissingWriteOnce);
  EXPECT_GE(F[0].Confidence, HighConfidence);
  EXPECT_EQ(F[0].RacingFunction, "do_tcp_getsockopt");
  ASSERT_EQ(F[0].Notes.size(), 2u);
  EXPECT_EQ(F[0].Notes[0].K, Evidence::LocklessMarkedReader);
  EXPECT_EQ(F[0].Notes[1].K, Evidence::PeerMarks);
  EXPECT_EQ(F[0].Notes[1].Line, 20u);
  // The confidence term by term, as SARIF carries it: the reader, the
  // peer, the share of stores marked (one of two).
  using Term = std::pair<llvm::StringRef, int>;
  EXPECT_EQ(F[0].Terms,
            (std::vector<Term>{{"lockless-reader", 30},
                               {"reader-in-same-file", 10},
                               {"peer", 40},
                               {"marked-store-share", 7}}));
  int Sum = 0;
  for (const Term &T : F[0].Terms)
    Sum += T.second;
  EXPECT_EQ(static_cast<unsigned>(std::min(Sum, 100)), F[0].Confidence);
}

TEST(Rules, NoLocklessReaderNoFinding) {
  test::FactsBuilder B("t.c");
  B.access("s::f", "w1", AccessKind::Store, Marking::Plain, 10);
  B.access("s::f", "w2", AccessKind::Store, Marking::WriteOnce, 20);
  // A marked read under a lock is not a lockless reader.
  B.access("s::f", "r", AccessKind::Load, Marking::ReadOnce, 30).Locks =
      test::locks(B.set(), "?");
  EXPECT_TRUE(analyze(B.set()).empty());
}

TEST(Rules, InitFunctionsByAttributeSlotAndCallers) {
  test::FactsBuilder B("t.c");
  B.access("s::f", "r", AccessKind::Load, Marking::ReadOnce, 5);
  B.access("s::f", "setup", AccessKind::Store, Marking::Plain, 10);
  B.access("s::f", "my_init_sock", AccessKind::Store, Marking::Plain, 11);
  B.access("s::f", "helper", AccessKind::Store, Marking::Plain, 12);
  B.access("s::f", "live", AccessKind::Store, Marking::Plain, 13);
  B.function("setup", FF_Init);
  B.slot("proto", "init", "my_init_sock");
  B.call("my_init_sock", "helper");
  B.call("live", "other");
  std::vector<Finding> F = analyze(B.set());
  ASSERT_EQ(F.size(), 1u);
  EXPECT_EQ(F[0].Site->Function, "live");
}

TEST(Rules, CallerCycleIsNotInit) {
  test::FactsBuilder B("t.c");
  B.call("a", "b");
  B.call("b", "a");
  Index Idx({&B.set()});
  Analyzer An(Idx, test::kernelModel());
  EXPECT_FALSE(An.isInitFunction("a"));
  EXPECT_FALSE(An.isInitFunction("b"));
}

TEST(Rules, LoadNeedsLocklessContext) {
  test::FactsBuilder B("t.c");
  B.access("sock::sk_err", "writer", AccessKind::Store, Marking::WriteOnce, 5);
  B.access("sock::sk_err", "plain_user", AccessKind::Load, Marking::Plain, 10);
  B.access("sock::sk_err", "smc_poll", AccessKind::Load, Marking::Plain, 20);
  B.access("sock::sk_err", "tcp_poll", AccessKind::Load, Marking::ReadOnce,
           30);
  B.slot("proto_ops", "poll", "smc_poll");
  B.slot("proto_ops", "poll", "tcp_poll");
  B.access("sock::sk_err", "locked_user", AccessKind::Load, Marking::Plain,
           40)
      .Locks = test::locks(B.set(), "?");
  std::vector<Finding> F = analyze(B.set());
  // The peer's READ_ONCE() makes smc_poll's read high; no visible lock
  // alone is weak (low); under a lock with no other evidence, nothing.
  ASSERT_EQ(F.size(), 2u);
  EXPECT_EQ(F[0].Site->Function, "plain_user");
  EXPECT_LT(F[0].Confidence, MediumConfidence);
  EXPECT_EQ(F[1].Site->Function, "smc_poll");
  EXPECT_EQ(F[1].Check, CheckKind::MissingReadOnce);
  EXPECT_GE(F[1].Confidence, HighConfidence);
}

// Reads under the lock every writer holds race with no writer: the lock is
// taken in the function, asserted, or held by every caller of a static
// function.  A read under another lock, or with a caller that holds none,
// is still a finding.
TEST(Rules, ReadsUnderTheWritersLock) {
  test::FactsBuilder B("t.c");
  auto Locked = [&](llvm::StringRef Fn, AccessKind K, Marking M, uint32_t L,
                    llvm::StringRef Locks) {
    Access &A = B.access("node::v", Fn, K, M, L);
    if (!Locks.empty()) {
      A.Locks = test::locks(B.set(), Locks);
    }
  };
  Locked("set_a", AccessKind::Store, Marking::WriteOnce, 1, "node::lock");
  Locked("set_b", AccessKind::RMW, Marking::Plain, 2, "node::lock;?");
  Locked("lockless", AccessKind::Load, Marking::ReadOnce, 3, "");
  Locked("same_fn", AccessKind::Load, Marking::Plain, 4, "node::lock");
  Locked("other_lock", AccessKind::Load, Marking::Plain, 5, "node::m");
  Locked("by_callers", AccessKind::Load, Marking::Plain, 6, "");
  Locked("one_caller_unlocked", AccessKind::Load, Marking::Plain, 7, "");
  // Each reader also marks the field once: evidence enough to report it.
  Locked("same_fn", AccessKind::Load, Marking::ReadOnce, 8, "node::lock");
  Locked("other_lock", AccessKind::Load, Marking::ReadOnce, 9, "node::m");
  Locked("by_callers", AccessKind::Load, Marking::ReadOnce, 10, "");
  Locked("one_caller_unlocked", AccessKind::Load, Marking::ReadOnce, 11, "");
  for (llvm::StringRef Fn :
       {"same_fn", "other_lock", "by_callers", "one_caller_unlocked"})
    B.function(Fn, FF_Static);
  B.call("c1", "by_callers", "node::lock");
  B.call("c2", "by_callers", "node::lock;node::m");
  B.call("c1", "one_caller_unlocked", "node::lock");
  B.call("c3", "one_caller_unlocked", "");
  std::vector<Finding> F = analyze(B.set());
  std::vector<std::string> Fns;
  Fns.reserve(F.size());
  for (const Finding &X : F)
    Fns.push_back(X.Site->Function.str());
  EXPECT_EQ(Fns, (std::vector<std::string>{"set_b", "other_lock",
                                           "one_caller_unlocked"}));
}

// A reader whose every caller holds a lock is not a lockless reader.
TEST(Rules, ReaderLockedByItsCallersIsNotLockless) {
  test::FactsBuilder B("t.c");
  B.access("s::f", "w", AccessKind::Store, Marking::Plain, 10);
  B.access("s::f", "w2", AccessKind::Store, Marking::WriteOnce, 20);
  B.access("s::f", "r", AccessKind::Load, Marking::ReadOnce, 30);
  B.function("r", FF_Static);
  B.call("caller", "r", "s::lock");
  EXPECT_TRUE(analyze(B.set()).empty());
}

// A reader under one lock races with stores under another (ptrace's
// wait_task_stopped() under tasklist_lock, jobctl's writers under siglock),
// but not with stores under its own lock; a store with no visible lock says
// nothing about a locked reader.
TEST(Rules, ReaderUnderAnotherLockRacesWithTheStore) {
  test::FactsBuilder B("t.c");
  Access &R = B.access("s::f", "r", AccessKind::Load, Marking::ReadOnce, 5);
  R.Locks = test::locks(B.set(), "tasklist_lock");
  Access &W = B.access("s::f", "w", AccessKind::RMW, Marking::Plain, 10);
  W.Locks = test::locks(B.set(), "sighand_struct::siglock");
  Access &Same = B.access("s::f", "same", AccessKind::RMW, Marking::Plain, 20);
  Same.Locks = test::locks(B.set(), "sighand_struct::siglock;tasklist_lock");
  std::vector<Finding> F = analyze(B.set());
  ASSERT_EQ(F.size(), 1u);
  EXPECT_EQ(F[0].Site->Function, "w");

  test::FactsBuilder U("u.c");
  Access &UR = U.access("s::f", "r", AccessKind::Load, Marking::ReadOnce, 5);
  UR.Locks = test::locks(U.set(), "tasklist_lock");
  U.access("s::f", "unlocked", AccessKind::Store, Marking::Plain, 10);
  EXPECT_TRUE(analyze(U.set()).empty());
}

// Lock-protected writes with lockless reads: a store under a lock beside a
// READ_ONCE() reader of the same file that holds no lock weighs 50, not 30,
// and names the lock; the lock may come from every caller, static or not.
// A reader under some other lock, or in another file, keeps 30.
TEST(Rules, StoreUnderALockBesideALocklessReader) {
  auto Reader = [](test::FactsBuilder &B, llvm::StringRef Locks) {
    Access &R = B.access("s::f", "r", AccessKind::Load, Marking::ReadOnce, 5);
    if (!Locks.empty()) {
      R.Locks = test::locks(B.set(), Locks);
    }
  };
  test::FactsBuilder B("t.c");
  Reader(B, "");
  Access &W = B.access("s::f", "w", AccessKind::Store, Marking::Plain, 10);
  W.Locks = test::locks(B.set(), "s::lock");
  B.access("s::f", "helper", AccessKind::Store, Marking::Plain, 20);
  B.function("helper"); // not static
  B.call("caller", "helper", "s::lock");
  std::vector<Finding> F = analyze(B.set());
  ASSERT_EQ(F.size(), 2u);
  for (const Finding &X : F) {
    SCOPED_TRACE(X.Site->Function.str());
    EXPECT_EQ(X.Confidence, 60u);
    ASSERT_FALSE(X.Notes.empty());
    EXPECT_EQ(X.Notes[0].K, Evidence::LocklessMarkedReader);
    EXPECT_EQ(X.Notes[0].Weight, 50);
    EXPECT_NE(X.Message.find("this store holds 's::lock'"), std::string::npos);
  }

  test::FactsBuilder O("o.c");
  Reader(O, "s::other");
  Access &OW = O.access("s::f", "w", AccessKind::Store, Marking::Plain, 10);
  OW.Locks = test::locks(O.set(), "s::lock");
  F = analyze(O.set());
  ASSERT_EQ(F.size(), 1u);
  EXPECT_EQ(F[0].Notes[0].Weight, 30);
  EXPECT_EQ(F[0].Message.find("holds no lock"), std::string::npos);
}

// "This function marks it elsewhere" weighs half when the marked access is
// of another object, each reached through a variable of its own.
TEST(Rules, SameFunctionMarkingOfAnotherObject) {
  test::FactsBuilder B("t.c");
  B.access("q::next", "r", AccessKind::Load, Marking::ReadOnce, 5);
  B.access("q::next", "link", AccessKind::Store, Marking::Plain, 10).Text =
      "node->next";
  B.access("q::next", "link", AccessKind::Store, Marking::WriteOnce, 11)
      .Text = "prev->next";
  B.access("q::next", "unlink", AccessKind::Store, Marking::Plain, 20).Text =
      "node->next";
  B.access("q::next", "unlink", AccessKind::Store, Marking::WriteOnce, 21)
      .Text = "node->next";
  std::vector<Finding> F = analyze(B.set());
  ASSERT_EQ(F.size(), 2u);
  auto Weight = [](const Finding &X) {
    for (const Evidence &E : X.Notes)
      if (E.K == Evidence::SameFunctionMarks)
        return E.Weight;
    return 0;
  };
  EXPECT_EQ(F[0].Site->Function, "link");
  EXPECT_EQ(Weight(F[0]), 20);
  EXPECT_EQ(F[1].Site->Function, "unlink");
  EXPECT_EQ(Weight(F[1]), 40);
  EXPECT_EQ(F[1].Confidence - F[0].Confidence, 20u);
}

TEST(Rules, NoFixReasonsAreReported) {
  test::FactsBuilder B("t.c");
  B.access("s::f", "r", AccessKind::Load, Marking::ReadOnce, 5);
  B.access("s::f", "w", AccessKind::Store, Marking::Plain, 10).Fix =
      NoFix::Bitfield;
  std::vector<Finding> F = analyze(B.set());
  ASSERT_EQ(F.size(), 1u);
  EXPECT_TRUE(F[0].Fix.empty());
  EXPECT_EQ(F[0].NoFixWhy, "it is a bitfield");
  EXPECT_NE(F[0].Message.find("no fix-it: it is a bitfield"),
            std::string::npos);
}

TEST(Rules, StoreAndLoadInItsValueShareOneFix) {
  // sk->sk_err = other->sk_err; in a poll: both flagged, one fix-it.
  test::FactsBuilder B("t.c");
  B.access("sock::sk_err", "tcp_poll", AccessKind::Load, Marking::ReadOnce, 2);
  B.access("sock::sk_err", "w", AccessKind::Store, Marking::WriteOnce, 3);
  Access &S = B.access("sock::sk_err", "smc_poll", AccessKind::Store,
                       Marking::Plain, 10);
  S.Begin = 1000, S.End = 1010, S.SepEnd = 1013, S.RhsBegin = 1013,
  S.RhsEnd = 1026;
  Access &L =
      B.access("sock::sk_err", "smc_poll", AccessKind::Load, Marking::Plain, 10);
  L.Begin = 1013, L.End = 1026;
  B.slot("proto_ops", "poll", "smc_poll");
  B.slot("proto_ops", "poll", "tcp_poll");
  std::vector<Finding> F = analyze(B.set());
  ASSERT_EQ(F.size(), 2u);
  const Finding &Store = F[0].Check == CheckKind::MissingWriteOnce ? F[0] : F[1];
  const Finding &Load = F[0].Check == CheckKind::MissingWriteOnce ? F[1] : F[0];
  EXPECT_TRUE(Load.Fix.empty());
  ASSERT_EQ(Store.Fix.size(), 3u);
  EXPECT_EQ(Store.Fix[0].Text, "WRITE_ONCE(");
  EXPECT_EQ(Store.Fix[1].Text, ", READ_ONCE(");
  EXPECT_EQ(Store.Fix[2].Text, "))");
  std::string Text(1100, ' ');
  Text.replace(1000, 30, "sk->sk_err = o->sk->sk_err;xxx");
  std::string Out = applyEdits(Text, Store.Fix);
  EXPECT_NE(Out.find("WRITE_ONCE(sk->sk_err, READ_ONCE(o->sk->sk_err));"),
            std::string::npos);
}

TEST(Rules, FixCoversOnlyReportedFindings) {
  // The store is high (a peer marks it); the load in its value is low (no
  // visible lock only).  At the medium threshold the load is not reported,
  // so the store's fix must not wrap it.
  test::FactsBuilder B("t.c");
  B.access("s::a", "r", AccessKind::Load, Marking::ReadOnce, 2);
  B.access("s::a", "peer", AccessKind::Store, Marking::WriteOnce, 3);
  B.access("s::b", "w", AccessKind::Store, Marking::WriteOnce, 4);
  Access &S = B.access("s::a", "f", AccessKind::Store, Marking::Plain, 10);
  S.Begin = 1000, S.End = 1004, S.SepEnd = 1007, S.RhsBegin = 1007,
  S.RhsEnd = 1011;
  Access &L = B.access("s::b", "f", AccessKind::Load, Marking::Plain, 10);
  L.Begin = 1007, L.End = 1011;
  B.slot("ops", "set", "f");
  B.slot("ops", "set", "peer");
  Index Idx({&B.set()});
  Analyzer An(Idx, test::kernelModel());
  std::vector<Finding> F = An.analyze(plainIn(B.set()), MediumConfidence);
  ASSERT_EQ(F.size(), 1u);
  EXPECT_EQ(F[0].Check, CheckKind::MissingWriteOnce);
  ASSERT_EQ(F[0].Fix.size(), 3u);
  EXPECT_EQ(F[0].Fix[1].Text, ", ");
  EXPECT_EQ(F[0].Fix[2].Text, ")");
  // At the low threshold both are reported and one fix does both.
  std::vector<Finding> All = An.analyze(plainIn(B.set()), 0);
  ASSERT_EQ(All.size(), 2u);
}

TEST(Rules, WrapEdits) {
  Access A;
  A.Kind = AccessKind::RMW;
  A.Text = "tp->x";
  A.Op = "*=";
  A.RhsText = "(a + b)";
  A.Begin = 0;
  A.RhsEnd = 14;
  std::vector<Edit> E = wrapEdits(A);
  ASSERT_EQ(E.size(), 1u);
  EXPECT_EQ(applyEdits("tp->x *= a + b;", E),
            "WRITE_ONCE(tp->x, tp->x * (a + b));");
  A.Op = "--";
  A.RhsBegin = 0;
  A.RhsEnd = 7;
  EXPECT_EQ(applyEdits("tp->x--;", wrapEdits(A)),
            "WRITE_ONCE(tp->x, tp->x - 1);");
}

TEST(Rules, ParseConfidence) {
  EXPECT_EQ(parseConfidence("low"), 0u);
  EXPECT_EQ(parseConfidence("Medium"), MediumConfidence);
  EXPECT_EQ(parseConfidence("high"), HighConfidence);
  EXPECT_EQ(parseConfidence("42"), 42u);
  EXPECT_FALSE(parseConfidence("101"));
  EXPECT_FALSE(parseConfidence("sometimes"));
}

// What callers say (their locks, init, fresh arguments) is solved one
// strongly connected component at a time: the answers depend on the call
// graph, never on which function was asked about first.  The editor asks
// about one TU's accesses, the driver about the tree's, in other orders.
// Here a() and b() call each other; x() calls a() under L and a() calls b()
// under L, so both run under L.  A memo that answers "none" for a function
// still being computed said so for a() only when b() was asked first.
TEST(Rules, AnswersDoNotDependOnQueryOrder) {
  test::FactsBuilder B("t.c");
  for (const char *F : {"a", "b", "x", "init_caller", "c", "d"})
    B.function(F, std::string(F) == "init_caller" ? FF_Init : 0);
  B.call("x", "a", "s::lock");
  B.call("a", "b", "s::lock");
  B.call("b", "a");
  // c() and d() call each other, init code calls c(), nothing else does:
  // both are init.  d() passes its parameter on to c(), which init code
  // hands a new object.
  B.call("init_caller", "c", "", {ArgOrigin{ArgOrigin::Fresh, 0, {}}});
  B.call("c", "d", "", {ArgOrigin{ArgOrigin::Param, 1, {}}});
  B.call("d", "c", "", {ArgOrigin{ArgOrigin::Param, 1, {}}});
  // One field per question, so each analysis asks about one function first.
  for (const char *F : {"s::va", "s::vb", "s::vc", "s::vd"}) {
    B.access(F, "w", AccessKind::Store, Marking::WriteOnce, 1).Locks =
        test::locks(B.set(), "s::lock");
    B.access(F, "r", AccessKind::Load, Marking::ReadOnce, 2);
  }
  B.access("s::va", "a", AccessKind::Load, Marking::Plain, 10);
  B.access("s::vb", "b", AccessKind::Load, Marking::Plain, 20);
  B.access("s::vc", "c", AccessKind::Store, Marking::Plain, 30);
  Access &D = B.access("s::vd", "d", AccessKind::Store, Marking::Plain, 40);
  D.From.Kind = OriginKind::Param;
  D.From.Param = 1;
  Index Idx({&B.set()});
  std::vector<const Access *> Plain = plainIn(B.set());
  ASSERT_EQ(Plain.size(), 4u);
  auto Render = [](const std::vector<Finding> &Fs) {
    std::string Out;
    for (const Finding &F : Fs)
      Out += F.Site->Function.str() + ": " + F.Message + "\n";
    return Out;
  };
  // One access at a time, in every order, each on a fresh analyzer.
  std::vector<size_t> Order = {0, 1, 2, 3};
  std::string First;
  do {
    Analyzer An(Idx, test::kernelModel());
    std::vector<std::string> Each(Plain.size());
    for (size_t I : Order)
      Each[I] = Render(An.analyze({Plain[I]}));
    std::string All;
    for (const std::string &E : Each)
      All += E;
    if (First.empty())
      First = All;
    EXPECT_EQ(All, First);
  } while (std::next_permutation(Order.begin(), Order.end()));
  // And the answers themselves.
  Analyzer An(Idx, test::kernelModel());
  EXPECT_TRUE(An.isInitFunction("d"));
  EXPECT_TRUE(An.isInitFunction("c"));
  EXPECT_TRUE(An.freshParam("d", 1));
  EXPECT_EQ(Render(An.analyze(Plain)), "");
}

} // namespace
