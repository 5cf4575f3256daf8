//===- ModelTest.cpp - The kernel model file ------------------------------===//

#include "Helpers.h"

#include "kmark/Model.h"

#include "gtest/gtest.h"

#include <memory>

using namespace kmark;

namespace {

std::string errorOf(llvm::StringRef Yaml) {
  KernelModel M;
  llvm::Error E = parseModel(Yaml, "t.yaml", M);
  return E ? llvm::toString(std::move(E)) : std::string();
}

TEST(Model, InstalledModelLoads) {
  const KernelModel &M = test::kernelModel();
  EXPECT_FALSE(M.empty());
  EXPECT_EQ(M.MarkingMacros.lookup("READ_ONCE"), Marking::ReadOnce);
  // KCSAN's hooks for atomic operations, by the access each stands for.
  ASSERT_TRUE(M.AtomicHooks.contains("instrument_atomic_read_write"));
  EXPECT_EQ(M.AtomicHooks.lookup("instrument_atomic_read_write"),
            AccessKind::RMW);
  EXPECT_EQ(M.AtomicHooks.lookup("instrument_atomic_read"), AccessKind::Load);
  EXPECT_FALSE(M.AtomicHooks.contains("instrument_write"));
  EXPECT_EQ(M.LockFunctions.lookup("down_read").Mode, LockMode::Shared);
  EXPECT_EQ(M.LockFunctions.lookup("mutex_lock_interruptible").Op,
            LockOp::TryAcquire);
  EXPECT_TRUE(M.LockFunctions.lookup("mutex_lock_interruptible").SuccessIsZero);
  EXPECT_EQ(M.LockFunctions.lookup("rtnl_lock").Class, "rtnl");
  EXPECT_TRUE(M.isAllocator("kzalloc"));
  EXPECT_TRUE(M.isAllocator("kzalloc_noprof"));
  EXPECT_FALSE(M.isAllocator("kfree"));
  EXPECT_TRUE(M.isLockType("spinlock_t"));
  EXPECT_TRUE(M.isLockType("struct mutex"));
  // Publication names the argument it publishes: the entry for xa_insert(),
  // the object for list_add().
  EXPECT_EQ(M.Publish.lookup("xa_insert"), 2U);
  EXPECT_EQ(M.Publish.lookup("idr_alloc"), 1U);
  ASSERT_TRUE(M.Publish.contains("list_add"));
  EXPECT_EQ(M.Publish.lookup("list_add"), 0U);
  // Ordered pointer stores name their value's argument.
  EXPECT_EQ(M.PublishStores.lookup("rcu_assign_pointer"), 1U);
  EXPECT_EQ(M.PublishStores.lookup("cmpxchg"), 2U);
  EXPECT_FALSE(M.PublishStores.contains("WRITE_ONCE"));
}

// The patterns outlive the document they were read from, and the model
// can be moved: a GlobPattern refers to its text.
TEST(Model, InitialiserNamesSurviveMovesAndExtensions) {
  auto Load = [] {
    KernelModel M;
    std::string Yaml = "kmark-model: 1\ninitialiser_names: ['init_*', "
                       "'*_init']\n";
    EXPECT_FALSE(llvm::errorToBool(parseModel(Yaml, "a.yaml", M)));
    // Garbage where the document's strings were.
    Yaml.assign(Yaml.size(), 'x');
    std::string More = "kmark-model: 1\ninitialiser_names: ['*_setup']\n";
    EXPECT_FALSE(llvm::errorToBool(parseModel(More, "b.yaml", M)));
    More.assign(More.size(), 'y');
    return M;
  };
  auto M = std::make_unique<KernelModel>(Load());
  EXPECT_TRUE(M->isInitialiserName("init_one"));
  EXPECT_TRUE(M->isInitialiserName("__foo_init"));
  EXPECT_TRUE(M->isInitialiserName("foo_setup"));
  EXPECT_FALSE(M->isInitialiserName("initiate"));
}

TEST(Model, ExtensionsAddToTheModel) {
  KernelModel M;
  ASSERT_FALSE(llvm::errorToBool(parseModel(
      "kmark-model: 1\nallocators: [a_alloc]\nlocks:\n  - op: acquire\n"
      "    functions: [my_lock]\n",
      "a.yaml", M)));
  ASSERT_FALSE(llvm::errorToBool(parseModel(
      "kmark-model: 1\nallocators: [b_alloc]\nlocks:\n  - op: release\n"
      "    member: lk\n    functions: [my_lock, my_unlock]\n",
      "b.yaml", M)));
  EXPECT_TRUE(M.isAllocator("a_alloc"));
  EXPECT_TRUE(M.isAllocator("b_alloc"));
  // The later file replaces a name it repeats.
  EXPECT_EQ(M.LockFunctions.lookup("my_lock").Op, LockOp::Release);
  EXPECT_EQ(M.LockFunctions.lookup("my_unlock").Member, "lk");
}

TEST(Model, BadModelsSayWhatIsWrong) {
  EXPECT_NE(errorOf("locks: []\n").find("missing required key 'kmark-model'"),
            std::string::npos);
  EXPECT_NE(errorOf("kmark-model: 2\n").find("format version 2"),
            std::string::npos);
  EXPECT_NE(errorOf("kmark-model: 1\nlockz: []\n").find("unknown key 'lockz'"),
            std::string::npos);
  EXPECT_NE(errorOf("kmark-model: 1\nlocks:\n  - op: grab\n"
                    "    functions: [f]\n")
                .find("unknown lock op 'grab'"),
            std::string::npos);
  EXPECT_NE(errorOf("kmark-model: 1\nlocks:\n  - op: acquire\n"
                    "    mode: sometimes\n    functions: [f]\n")
                .find("unknown lock mode 'sometimes'"),
            std::string::npos);
  EXPECT_NE(errorOf("kmark-model: 1\nlocks:\n  - op: acquire\n"
                    "    success: zero\n    functions: [f]\n")
                .find("'success' is for trylock entries only"),
            std::string::npos);
  EXPECT_NE(errorOf("kmark-model: 1\nlocks:\n  - op: acquire\n")
                .find("names no function"),
            std::string::npos);
  EXPECT_NE(errorOf("kmark-model: 1\ninitialiser_names: ['[']\n")
                .find("bad initialiser name pattern"),
            std::string::npos);
  EXPECT_NE(errorOf("kmark-model: 1\npublish: ['xa_insert:two']\n")
                .find("bad publish entry 'xa_insert:two'"),
            std::string::npos);
  EXPECT_NE(errorOf("kmark-model: 1\npublish: [':1']\n")
                .find("bad publish entry"),
            std::string::npos);
  EXPECT_NE(errorOf("kmark-model: 1\npublish_stores: ['xchg']\n")
                .find("bad publish_stores entry 'xchg'"),
            std::string::npos);
  EXPECT_NE(errorOf(": : :\n").find("t.yaml"), std::string::npos);
  llvm::Expected<KernelModel> Missing = loadModel({"/no/such/model.yaml"});
  ASSERT_FALSE(Missing);
  EXPECT_NE(llvm::toString(Missing.takeError()).find("cannot read it"),
            std::string::npos);
}

} // namespace
