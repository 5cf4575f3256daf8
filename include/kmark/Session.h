//===- Session.h - Extraction and findings of one TU at a time -----------===//
//
// Both kmark checks need the same facts of the same TU; extracting them twice
// would double the cost.  The module creates one session and hands it to
// every check it constructs: the first check to see a TU extracts its facts
// (writing the shard if asked), overlays them on the tree's index (loaded
// once per process) and computes the findings; each check then reports its
// own kind.  Nothing here is global: the session is owned by the checks.
// `kmark check` drives the same session from a frontend action of its own,
// so the editor, the driver and kbuild compute findings by one code path.
// It knows clang's AST and preprocessor, nothing of clang-tidy.
//
//===----------------------------------------------------------------------===//

#ifndef KMARK_SESSION_H
#define KMARK_SESSION_H

#include "kmark/Extractor.h"
#include "kmark/Index.h"
#include "kmark/Model.h"
#include "kmark/Rules.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <memory>
#include <string>

namespace clang {
class ASTContext;
class Preprocessor;
} // namespace clang

namespace kmark {

/// Options shared by the checks (read with getLocalOrGlobal).
struct SessionOptions {
  std::string IndexFile;
  std::string ShardDir;
  bool CheckHeaders = false;
  /// False when only the shard is wanted (the kmark driver reports later).
  bool EmitDiagnostics = true;
  /// The kernel model: this file instead of the one beside the plugin, and
  /// files that extend it (relative paths from the tree's root).
  std::string ModelFile;
  std::vector<std::string> ModelExtensions;
};

class Session {
public:
  /// The lowest threshold of the checks sharing this session: findings
  /// below it are not computed.
  void noteThreshold(unsigned MinConfidence) {
    Threshold = std::min(Threshold, MinConfidence);
  }

  /// Loads the kernel model named by Opts (once per set of files); says
  /// why in Error when it cannot, and the checks then report nothing.
  const KernelModel *model(const SessionOptions &Opts,
                           llvm::StringRef WorkingDir, std::string &Error);

  bool hasModel() const { return Model != nullptr; }

  /// Registers the macro recorder on PP unless already done for this TU.
  void beginTU(clang::Preprocessor &PP, const KernelModel &Model);

  /// The findings of the TU in Ctx, computed once per TU.
  const std::vector<Finding> &findings(clang::ASTContext &Ctx,
                                       const SessionOptions &Opts);

private:
  void loadIndex(const SessionOptions &Opts, llvm::StringRef WorkingDir);
  void writeShard(const SessionOptions &Opts, llvm::StringRef WorkingDir);
  /// The index's facts for these fields (and all functions, slots, calls).
  std::unique_ptr<FactSet> indexFor(const llvm::StringSet<> &Fields);

  std::vector<std::string> ModelFiles; ///< what Model was loaded from
  std::unique_ptr<KernelModel> Model;
  std::string ModelError;

  unsigned Threshold = 100;
  clang::Preprocessor *CurrentPP = nullptr;
  const clang::ASTContext *CurrentCtx = nullptr;
  std::unique_ptr<MacroMarks> Marks;
  std::unique_ptr<FactSet> TUFacts;
  std::unique_ptr<Index> View;
  std::vector<Finding> Findings;

  // The tree's index, read once per process; its facts are decoded per TU.
  std::string LoadedIndexPath;
  bool IndexTried = false;
  std::unique_ptr<llvm::MemoryBuffer> IndexBuffer;
  llvm::StringMap<uint64_t> TreeDigests; ///< path -> digest in the index
  std::unique_ptr<FactSet> TreeIndex;    ///< this TU's part of the index
};

} // namespace kmark

#endif // KMARK_SESSION_H
