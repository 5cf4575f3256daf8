//===- TreeConfig.h - The kmark options of a tree's .clang-tidy ----------===//
//
// The plugin reads its options from the .clang-tidy that clang-tidy finds
// for each file; the driver parses on its own, so it reads the same options
// from the tree's top-level .clang-tidy, and every command (run, diff,
// report, query, dump, kcsan, baseline) starts from them.  Options given
// on the command line win.
//
//===----------------------------------------------------------------------===//

#ifndef KMARK_TOOLS_TREECONFIG_H
#define KMARK_TOOLS_TREECONFIG_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace kmark::driver {

/// The kmark check options of one .clang-tidy.  Each is read as clang-tidy's
/// getLocalOrGlobal does: `kmark-missing-write-once.Name` or
/// `kmark-missing-read-once.Name`, else the global `Name`.
struct TreeConfig {
  std::string Path; ///< the file read; empty when the tree has none
  std::optional<std::string> KernelModel;
  std::vector<std::string> ModelExtensions; ///< KernelModelExtensions
  std::optional<std::string> MinConfidence;
  std::optional<bool> CheckHeaders;
};

/// Reads Root/.clang-tidy.  A tree without one has an empty config; a file
/// that is not YAML, or whose two kmark checks disagree on an option the
/// driver needs once, is an error.  Relative model paths are made absolute
/// from Root, as the plugin does from the TU's directory.
llvm::Expected<TreeConfig> readTreeConfig(llvm::StringRef Root);

/// Parses the text of a .clang-tidy (named Path in errors).
llvm::Expected<TreeConfig> parseTreeConfig(llvm::StringRef Text,
                                           llvm::StringRef Path,
                                           llvm::StringRef Root);

} // namespace kmark::driver

#endif // KMARK_TOOLS_TREECONFIG_H
