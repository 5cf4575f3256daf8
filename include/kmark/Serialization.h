//===- Serialization.h - Shards and indexes on disk -----------------------===//
//
// One small, versioned binary format serves both a TU's shard and a merged
// index: a header (magic, format version, kind, payload size, checksum), a
// string table, then file sections.  Readers check every bound and the
// checksum and say what is wrong; they never trust their input.
//
//===----------------------------------------------------------------------===//

#ifndef KMARK_SERIALIZATION_H
#define KMARK_SERIALIZATION_H

#include "kmark/Facts.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Error.h"

#include <string>

namespace kmark {

/// Bumped whenever the layout or the meaning of a field changes; a file of
/// another version is rejected with a message that names both versions.
constexpr uint32_t FormatVersion = 21;

enum class FactsKind : uint32_t { Shard = 1, Index = 2 };

/// Encodes the files' facts and the TU list.
std::string encodeFacts(FactsKind Kind, llvm::ArrayRef<const FileFacts *> Files,
                        llvm::ArrayRef<TUEntry> TUs);

/// Encodes a whole set.
std::string encodeFacts(FactsKind Kind, const FactSet &Set);

/// What to decode of a shard or an index.
struct DecodeOptions {
  /// Only the file table (paths, digests): no facts, no TU list.
  bool TableOnly = false;
  /// Keep only the accesses of these fields (all when null).  Functions,
  /// slots and calls are kept whole.
  const llvm::StringSet<> *Fields = nullptr;
  /// Strings point into the buffer instead of being copied; the caller
  /// keeps the buffer alive as long as the set (FactSet::adopt).
  bool ZeroCopy = false;
};

/// Decodes Buffer into Into.  Fails with a message saying what is wrong;
/// Into is unspecified then.
llvm::Error decodeFacts(llvm::StringRef Buffer, FactsKind Expected,
                        FactSet &Into, const DecodeOptions &Opts = {});

/// Reads and decodes the file at Path; the set keeps the file mapped and
/// its strings point into it.
llvm::Error readFactsFile(llvm::StringRef Path, FactsKind Expected,
                          FactSet &Into, const DecodeOptions &Opts = {});

/// Writes Data to Path atomically: a temporary file in the same directory,
/// then rename, so readers and concurrent writers never see a torn file.
llvm::Error writeFileAtomically(llvm::StringRef Path, llvm::StringRef Data);

/// Canonical path of a file as kmark records it: absolute with dots removed,
/// then relative to Root (the working directory if empty) when below it.
std::string canonicalPath(llvm::StringRef Path, llvm::StringRef WorkingDir,
                          llvm::StringRef Root);

/// File name of the shard of the TU whose main file kmark records as
/// MainFile: readable, and unique per path.
std::string shardFileName(llvm::StringRef MainFile);

/// File name of the shard that holds a header's facts, in the "headers"
/// folder beside the TU shards: one per path and contents, written by the
/// first TU that reads that version of the header.
std::string headerShardFileName(llvm::StringRef Path, uint64_t Digest,
                                uint8_t Variant);

} // namespace kmark

#endif // KMARK_SERIALIZATION_H
