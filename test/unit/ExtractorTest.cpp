//===- ExtractorTest.cpp - Facts from real clang ASTs ---------------------===//

#include "Helpers.h"

#include "kmark/Extractor.h"
#include "kmark/Index.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Tooling/Tooling.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include <map>

using namespace kmark;

namespace {

class Consumer : public clang::ASTConsumer {
public:
  Consumer(MacroMarks &Marks, FactSet &Out) : Marks(Marks), Out(Out) {}
  void HandleTranslationUnit(clang::ASTContext &Ctx) override {
    ExtractOptions Opts;
    Opts.Model = &test::kernelModel();
    extractFacts(Ctx, Marks, Opts, Out);
  }

private:
  MacroMarks &Marks;
  FactSet &Out;
};

class Action : public clang::ASTFrontendAction {
public:
  explicit Action(FactSet &Out) : Out(Out) {}
  std::unique_ptr<clang::ASTConsumer>
  CreateASTConsumer(clang::CompilerInstance &CI,
                    llvm::StringRef /*InFile*/) override {
    CI.getPreprocessor().addPPCallbacks(
        makeMacroRecorder(CI.getSourceManager(), CI.getLangOpts(),
                          test::kernelModel(), Marks));
    return std::make_unique<Consumer>(Marks, Out);
  }

private:
  MacroMarks Marks;
  FactSet &Out;
};

/// The facts of Code (a C file that may include the example's headers).
std::unique_ptr<FactSet> extract(const std::string &Code) {
  auto Out = std::make_unique<FactSet>();
  EXPECT_TRUE(clang::tooling::runToolOnCodeWithArgs(
      std::make_unique<Action>(*Out), Code,
      {"-std=gnu11", "-nostdinc", "-I" KMARK_EXAMPLE_INCLUDE}, "input.c"));
  return Out;
}

/// The facts of Code with Headers mapped beside it (name, text).
std::unique_ptr<FactSet>
extractWith(const std::string &Code,
            const std::vector<std::pair<std::string, std::string>> &Headers) {
  auto Out = std::make_unique<FactSet>();
  EXPECT_TRUE(clang::tooling::runToolOnCodeWithArgs(
      std::make_unique<Action>(*Out), Code,
      {"-std=gnu11", "-nostdinc", "-I" KMARK_EXAMPLE_INCLUDE}, "input.c",
      "kmark-unittests",
      std::make_shared<clang::PCHContainerOperations>(), Headers));
  return Out;
}

/// Accesses of the main file, as "field kind marking function" lines.
std::vector<std::string> accesses(const FactSet &S) {
  std::vector<std::string> Out;
  for (const Access &A : S.Files.front().Accesses)
    Out.push_back((A.Field + " " + accessKindName(A.Kind) + " " +
                   markingName(A.Mark) + " " + A.Function)
                      .str());
  return Out;
}

using ::testing::ElementsAre;

TEST(Extractor, MarkedAccessesCountOnce) {
  // READ_ONCE/WRITE_ONCE mention x again in sizeof/typeof/_Generic: those
  // unevaluated references are not accesses.
  auto S = extract(R"c(
#include <net/tcp.h>
u32 f(struct tcp_sock *tp) {
  WRITE_ONCE(tp->tsoffset, 1);
  return READ_ONCE(tp->tsoffset);
}
)c");
  EXPECT_EQ(accesses(*S),
            (std::vector<std::string>{"tcp_sock::tsoffset store WRITE_ONCE() f",
                                      "tcp_sock::tsoffset load READ_ONCE() f"}));
}

TEST(Extractor, PlainReadInsideWriteOnceIsPlain) {
  auto S = extract(R"c(
#include <net/tcp.h>
void f(struct tcp_sock *tp) { WRITE_ONCE(tp->snd_cwnd, tp->snd_cwnd + 1); }
)c");
  EXPECT_EQ(accesses(*S),
            (std::vector<std::string>{"tcp_sock::snd_cwnd store WRITE_ONCE() f",
                                      "tcp_sock::snd_cwnd load plain f"}));
}

TEST(Extractor, BasePointersAreTheirOwnFields) {
  // In READ_ONCE(a->b->c) only c is marked; a->b is a plain load of b.
  auto S = extract(R"c(
#include <net/sock.h>
int f(struct socket *s) { return READ_ONCE(s->sk->sk_err); }
)c");
  EXPECT_EQ(accesses(*S),
            (std::vector<std::string>{"sock::sk_err load READ_ONCE() f",
                                      "socket::sk load plain f"}));
}

TEST(Extractor, AcquireReleaseAndDataRace) {
  auto S = extract(R"c(
#include <net/sock.h>
int f(struct sock *sk) {
  smp_store_release(&sk->sk_rcvbuf, 1);
  return smp_load_acquire(&sk->sk_sndbuf) + data_race(sk->sk_err);
}
)c");
  EXPECT_EQ(accesses(*S),
            (std::vector<std::string>{
                "sock::sk_rcvbuf store smp_store_release() f",
                "sock::sk_sndbuf load smp_load_acquire() f",
                "sock::sk_err load data_race() f"}));
}

TEST(Extractor, MacroFieldsAndAnonymousUnions) {
  // sk_hash is `#define sk_hash __sk_common.skc_hash`, in an anonymous
  // union: keyed by the real field, the text as the user spelled it.
  auto S = extract(R"c(
#include <net/sock.h>
void f(struct sock *sk) { sk->sk_hash = 1; sk->sk_state = 2; }
)c");
  const auto &A = S->Files.front().Accesses;
  ASSERT_EQ(A.size(), 2u);
  EXPECT_EQ(A[0].Field, "sock_common::skc_hash");
  EXPECT_EQ(A[0].Text, "sk->sk_hash");
  EXPECT_EQ(A[1].Field, "sock_common::skc_state");
  EXPECT_EQ(A[1].Mark, Marking::VolatileField);
}

TEST(Extractor, FixBlockers) {
  auto S = extract(R"c(
#include <net/sock.h>
struct big { __int128 w; };
int f(struct sock *sk, struct big *b) {
  sk->sk_shutdown = 1;
  b->w = 2;
  return sk->sk_err = 3;
}
)c");
  const auto &A = S->Files.front().Accesses;
  ASSERT_EQ(A.size(), 3u);
  EXPECT_EQ(A[0].Fix, NoFix::Bitfield);
  EXPECT_EQ(A[1].Fix, NoFix::Size);
  EXPECT_EQ(A[2].Fix, NoFix::ValueUsed);
}

TEST(Extractor, OpsSlotsStaticAndAtRunTime) {
  auto S = extract(R"c(
#include <net/sock.h>
static __poll_t my_poll(struct socket *s) { return 0; }
static void my_work(struct work_struct *w) {}
const struct proto_ops my_ops = { .poll = my_poll };
void g(struct work_struct *w) { INIT_WORK(w, my_work); }
)c");
  const auto &Slots = S->Files.front().Slots;
  ASSERT_EQ(Slots.size(), 2u);
  EXPECT_EQ(Slots[0].OpsType, "proto_ops");
  EXPECT_EQ(Slots[0].Slot, "poll");
  EXPECT_EQ(Slots[0].Function, "my_poll@input.c");
  EXPECT_EQ(Slots[0].Holder, "my_ops");
  EXPECT_TRUE(Slots[0].Static);
  EXPECT_EQ(Slots[1].OpsType, "work_struct");
  EXPECT_EQ(Slots[1].Slot, "func");
  EXPECT_FALSE(Slots[1].Static);
}

TEST(Extractor, LocksAndFreshObjects) {
  auto S = extract(R"c(
#include <net/tcp.h>
void f(struct sock *sk, int bail) {
  struct sock *n = sk_clone_lock(sk, 0);
  struct tcp_sock *nt = tcp_sk(n);
  nt->tsoffset = 1;
  lock_sock(sk);
  if (bail) {
    release_sock(sk);
    return;
  }
  sk->sk_err = 1;
  release_sock(sk);
  sk->sk_err = 2;
}
)c");
  const auto &A = S->Files.front().Accesses;
  ASSERT_EQ(A.size(), 3u);
  EXPECT_TRUE(A[0].From.unpublished());
  EXPECT_EQ(A[0].From.Source, "sk_clone_lock");
  EXPECT_TRUE(A[1].lockHeld()); // the early release does not count
  EXPECT_EQ(lockListText(A[1].Locks), "sock::sk_lock"); // the socket lock
  EXPECT_FALSE(A[2].lockHeld());
}

TEST(Extractor, LockClassesAndCallEdges) {
  auto S = extract(R"c(
#include <linux/lock.h>
struct node { spinlock_t lock; struct mutex m; int v; };
spinlock_t global_lock;
static void under(struct node *n) { lockdep_assert_held(&n->lock); n->v = 1; }
static void plain(struct node *n) { n->v = 2; }
void f(struct node *n, spinlock_t *l) {
  unsigned long flags;
  spin_lock_irqsave(&n->lock, flags);
  spin_lock(&global_lock);
  mutex_lock(&n->m);
  spin_unlock(&global_lock); /* out of order: drops its own class */
  under(n);
  spin_lock(l);
  plain(n);
  spin_unlock(l);
  mutex_unlock(&n->m);
  spin_unlock_irqrestore(&n->lock, flags);
  plain(n);
}
)c");
  const auto &A = S->Files.front().Accesses;
  ASSERT_EQ(A.size(), 2u);
  // A struct of the input's own: its members' keys name the file.
  EXPECT_EQ(lockListText(A[0].Locks), "node::lock@input.c"); // asserted on entry
  EXPECT_FALSE(A[1].lockHeld());
  std::map<std::string, std::string> Edges;
  for (const CallEdge &E : S->Files.front().Calls)
    if (E.Caller == "f")
      Edges[E.Callee.str()] = lockListText(E.Locks);
  EXPECT_EQ(Edges["under@input.c"], "node::lock@input.c;node::m@input.c");
  // Held at one call, not at the other: the edge keeps what both hold.
  EXPECT_EQ(Edges["plain@input.c"], "");
}

TEST(Extractor, InitAttributesAndLockAssertions) {
  auto S = extract(R"c(
#include <net/sock.h>
int __init a(void) { return 0; }
static int __net_init b(void) { return 0; }
void c(struct sock *sk) { sock_owned_by_me(sk); sk->sk_err = 0; }
)c");
  const auto &F = S->Files.front().Functions;
  ASSERT_EQ(F.size(), 3u);
  EXPECT_TRUE(F[0].Flags & FF_Init);
  EXPECT_TRUE(F[1].Flags & FF_Init);
  EXPECT_TRUE(F[2].Flags & FF_LockAsserted);
  EXPECT_TRUE(S->Files.front().Accesses[0].lockHeld());
}

TEST(Extractor, HeaderFactsAreFiledUnderTheHeader) {
  // The helper's access belongs to the header, where every TU that
  // includes it sees the same fact; the main file has only the call.
  auto S = extractWith(R"c(
#include "helper.h"
int f(struct sock *sk) { return helper(sk); }
)c",
                       {{"helper.h", R"c(
#include <net/sock.h>
static inline int helper(struct sock *sk) { return READ_ONCE(sk->sk_err); }
)c"}});
  ASSERT_FALSE(S->TUs.empty());
  EXPECT_EQ(S->TUs.front().MainFile, "input.c");
  const FileFacts *Main = nullptr, *Header = nullptr;
  for (const FileFacts &F : S->Files) {
    if (F.Path == "input.c")
      Main = &F;
    else if (llvm::StringRef(F.Path).ends_with("helper.h"))
      Header = &F;
  }
  ASSERT_NE(Main, nullptr);
  ASSERT_NE(Header, nullptr);
  EXPECT_TRUE(Main->Accesses.empty());
  ASSERT_EQ(Main->Calls.size(), 1u);
  // A static function's key names the file it is defined in, the
  // header, so every TU that includes it agrees on it.
  EXPECT_EQ(Main->Calls.front().Callee.str(), "helper@helper.h");
  ASSERT_EQ(Header->Accesses.size(), 1u);
  const Access &A = Header->Accesses.front();
  EXPECT_EQ(A.Field.str(), "sock::sk_err");
  EXPECT_EQ(A.Kind, AccessKind::Load);
  EXPECT_EQ(A.Mark, Marking::ReadOnce);
  EXPECT_EQ(A.Function.str(), "helper@helper.h");
}

} // namespace

TEST(Extractor, StructsHeldByValueAndThroughPointers) {
  // What a struct holds, for whose lock a class is: by value (through an
  // array, an anonymous union, a struct it holds), through a pointer (to a
  // struct only declared here too), and the global structs.
  auto S = extract(R"c(
struct lk { int x; };
struct fwd;
struct inner { struct lk l; };
struct outer {
  struct inner in[2];
  union { struct lk u; int n; };
  struct fwd *f;
};
struct only_const { int y; };
struct outer g_outer;
static const struct only_const g_const;
int use(void) { return g_outer.in[0].l.x + g_const.y; }
)c");
  Index Idx({S.get()});
  EXPECT_TRUE(Idx.holds("outer", "inner"));
  EXPECT_TRUE(Idx.holds("outer", "lk"));
  EXPECT_FALSE(Idx.holds("outer", "fwd"));
  EXPECT_TRUE(Idx.holds("outer", "fwd", 1));
  EXPECT_FALSE(Idx.holds("inner", "outer", 1));
  EXPECT_TRUE(Idx.inGlobal("outer"));
  EXPECT_TRUE(Idx.inGlobal("lk"));
  EXPECT_FALSE(Idx.inGlobal("fwd"));
  EXPECT_FALSE(Idx.inGlobal("only_const"));
}

TEST(Extractor, ListsLinkTheirContainersObjects) {
  // A list head that is a member of one struct, linking another's nodes:
  // one fact however often it is linked, a pointer apart, and only when
  // links are asked for.  A registration's other argument is no list.
  auto S = extract(R"c(
struct list_head { struct list_head *next, *prev; };
void list_add(struct list_head *n, struct list_head *h);
struct xa { void *head; };
void *xa_store(struct xa *xa, unsigned long i, void *e, int gfp);
struct msg { struct list_head node; };
struct queue { struct list_head pending[2]; };
struct dev { struct xa ports; };
void add(struct queue *q, struct msg *m, int i) {
  list_add(&m->node, &q->pending[i]);
  list_add(&m->node, &q->pending[0]);
}
void reg(struct dev *d, struct msg *m) { xa_store(&d->ports, 1, m, 0); }
)c");
  const FileFacts &Main = S->Files.front();
  EXPECT_EQ(llvm::count_if(Main.Embeddings,
                           [](const Embedding &E) { return E.Link; }),
            1);
  Index Idx({S.get()});
  EXPECT_TRUE(Idx.holds("queue", "msg", 1, /*Links=*/true));
  EXPECT_FALSE(Idx.holds("queue", "msg", 0, /*Links=*/true));
  EXPECT_FALSE(Idx.holds("queue", "msg", 1));
  EXPECT_FALSE(Idx.holds("dev", "msg", 1, /*Links=*/true));
}
