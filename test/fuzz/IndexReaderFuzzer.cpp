//===- IndexReaderFuzzer.cpp - libFuzzer over the shard/index reader ------===//
//
// Feeds arbitrary bytes to the reader of shards and indexes.  The checksum
// would stop almost every input at the header, so the fuzzer first makes it
// right: the structural checks behind it are what is exercised.  Whatever
// decodes is then merged, indexed, analysed and encoded again, so the rules
// see arbitrary well-formed facts too.
//
//===----------------------------------------------------------------------===//

#include "kmark/Index.h"
#include "kmark/Model.h"
#include "kmark/Rules.h"
#include "kmark/Serialization.h"

#include "llvm/Support/Endian.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <cstdint>
#include <cstdlib>
#include <string>

/// The model kmark installs, read from the source tree once.
static const kmark::KernelModel &model() {
  static const kmark::KernelModel M = [] {
    llvm::Expected<kmark::KernelModel> L = kmark::loadModel({KMARK_MODEL_FILE});
    if (!L) {
      llvm::errs() << llvm::toString(L.takeError()) << "\n";
      abort();
    }
    return std::move(*L);
  }();
  return M;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  std::string Buf(reinterpret_cast<const char *>(Data), Size);
  if (Buf.size() >= 32) {
    llvm::StringRef Body = llvm::StringRef(Buf).drop_front(32);
    llvm::support::endian::write64le(&Buf[16], Body.size());
    llvm::support::endian::write64le(&Buf[24], llvm::xxh3_64bits(Body));
  }
  for (kmark::FactsKind K : {kmark::FactsKind::Shard, kmark::FactsKind::Index}) {
    kmark::FactSet S;
    if (llvm::Error E = kmark::decodeFacts(Buf, K, S)) {
      llvm::consumeError(std::move(E));
      continue;
    }
    kmark::Merger M;
    M.add(S);
    std::unique_ptr<kmark::FactSet> Merged = M.finish();
    kmark::Index Idx({Merged.get()});
    std::vector<const kmark::Access *> Candidates;
    for (const kmark::FileFacts *F : Idx.files())
      for (const kmark::Access &A : F->Accesses)
        Candidates.push_back(&A);
    kmark::Analyzer An(Idx, model());
    std::vector<kmark::Finding> Findings = An.analyze(Candidates);
    for (const kmark::Finding &F : Findings)
      (void)kmark::applyEdits("", F.Fix);
    (void)kmark::encodeFacts(K, *Merged);
  }
  return 0;
}
