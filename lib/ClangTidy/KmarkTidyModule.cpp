//===- KmarkTidyModule.cpp - The kmark clang-tidy module ------------------===//
//
// Registers the kmark checks with clang-tidy when the plugin is loaded with
// `clang-tidy --load libkmark.so`.  The plugin links no LLVM or Clang library:
// those symbols come from the clang-tidy binary, which must be the version the
// plugin was built for.  Before registering, a guard asks the host for its
// LLVM version and refuses, with a message, to run inside another one (the
// C++ ABI of Clang differs between major versions; running would crash).
//
//===----------------------------------------------------------------------===//

#include "MissingReadOnceCheck.h"
#include "MissingWriteOnceCheck.h"

#include "clang-tidy/ClangTidyModule.h"

#include <cstdio>
#include <dlfcn.h>
#include <unistd.h>

#ifndef KMARK_LLVM_VERSION_STRING
#error "KMARK_LLVM_VERSION_STRING must name the LLVM version built against"
#endif

namespace kmark::tidy {

class KmarkModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(
      clang::tidy::ClangTidyCheckFactories &Factories) override {
    // One session for all kmark checks of this clang-tidy process.
    auto S = std::make_shared<Session>();
    Factories.registerCheckFactory(
        "kmark-missing-read-once",
        [S](llvm::StringRef Name, clang::tidy::ClangTidyContext *Context) {
          return std::make_unique<MissingReadOnceCheck>(Name, Context, S);
        });
    Factories.registerCheckFactory(
        "kmark-missing-write-once",
        [S](llvm::StringRef Name, clang::tidy::ClangTidyContext *Context) {
          return std::make_unique<MissingWriteOnceCheck>(Name, Context, S);
        });
  }
};

namespace {

/// The major LLVM version of the process we are loaded into, or 0 if it
/// cannot tell (LLVM before 16 has no LLVMGetVersion).
unsigned hostLLVMMajor(unsigned &Minor, unsigned &Patch) {
  using GetVersionFn = void (*)(unsigned *, unsigned *, unsigned *);
  auto *Get = reinterpret_cast<GetVersionFn>(dlsym(RTLD_DEFAULT,
                                                   "LLVMGetVersion"));
  unsigned Major = 0;
  Minor = Patch = 0;
  if (Get)
    Get(&Major, &Minor, &Patch);
  return Major;
}

struct Registration {
  Registration() {
    unsigned Minor = 0, Patch = 0;
    unsigned Major = hostLLVMMajor(Minor, Patch);
    if (Major != KMARK_LLVM_MAJOR) {
      // No LLVM facility is safe to call in a foreign host: plain stdio.
      if (Major)
        std::fprintf(stderr,
                     "error: kmark: this plugin was built for clang-tidy %d "
                     "(LLVM %s) but was loaded into LLVM %u.%u.%u; run it "
                     "with clang-tidy-%d\n",
                     KMARK_LLVM_MAJOR, KMARK_LLVM_VERSION_STRING, Major, Minor,
                     Patch, KMARK_LLVM_MAJOR);
      else
        std::fprintf(stderr,
                     "error: kmark: this plugin was built for clang-tidy %d "
                     "(LLVM %s) but was loaded into an older, unknown LLVM; "
                     "run it with clang-tidy-%d\n",
                     KMARK_LLVM_MAJOR, KMARK_LLVM_VERSION_STRING,
                     KMARK_LLVM_MAJOR);
      std::fflush(stderr);
      // Inside dlopen: exit() would run the host's destructors under the
      // loader lock.  Leave at once.
      _exit(1);
    }
    static clang::tidy::ClangTidyModuleRegistry::Add<KmarkModule> X(
        "kmark-module", "Adds the kmark access-marking checks.");
  }
};

Registration TheRegistration;

} // namespace

} // namespace kmark::tidy

// Referenced by a static library user to force the module to be linked in,
// in the convention of clang-tidy's own modules.
// NOLINTNEXTLINE(misc-use-internal-linkage)
volatile int KmarkModuleAnchorSource = 0;
