//===- TreeConfig.cpp - The kmark options of a tree's .clang-tidy --------===//

#include "TreeConfig.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"

namespace kmark::driver {

namespace {

llvm::Error configError(llvm::StringRef Path, const llvm::Twine &Why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 Path + ": " + Why);
}

std::optional<std::string> scalar(llvm::yaml::Node *N) {
  auto *S = llvm::dyn_cast_or_null<llvm::yaml::ScalarNode>(N);
  if (!S)
    return std::nullopt;
  llvm::SmallString<64> Storage;
  return S->getValue(Storage).str();
}

/// CheckOptions as key -> value, in either of clang-tidy's spellings: a
/// mapping, or a list of {key: K, value: V}.
bool collectOptions(llvm::yaml::Node *N, llvm::StringMap<std::string> &Out) {
  if (auto *M = llvm::dyn_cast<llvm::yaml::MappingNode>(N)) {
    for (llvm::yaml::KeyValueNode &KV : *M) {
      std::optional<std::string> K = scalar(KV.getKey());
      std::optional<std::string> V = scalar(KV.getValue());
      if (!K || !V)
        return false;
      Out[*K] = *V;
    }
    return true;
  }
  if (auto *S = llvm::dyn_cast<llvm::yaml::SequenceNode>(N)) {
    for (llvm::yaml::Node &E : *S) {
      auto *M = llvm::dyn_cast<llvm::yaml::MappingNode>(&E);
      if (!M)
        return false;
      std::optional<std::string> K, V;
      for (llvm::yaml::KeyValueNode &KV : *M) {
        std::optional<std::string> Name = scalar(KV.getKey());
        if (Name == "key")
          K = scalar(KV.getValue());
        else if (Name == "value")
          V = scalar(KV.getValue());
      }
      if (!K || !V)
        return false;
      Out[*K] = *V;
    }
    return true;
  }
  return llvm::isa<llvm::yaml::NullNode>(N);
}

} // namespace

llvm::Expected<TreeConfig> parseTreeConfig(llvm::StringRef Text,
                                           llvm::StringRef Path,
                                           llvm::StringRef Root) {
  TreeConfig C;
  C.Path = Path.str();
  llvm::SourceMgr SM;
  std::string Diag;
  SM.setDiagHandler(
      [](const llvm::SMDiagnostic &D, void *Ctx) {
        auto *Out = static_cast<std::string *>(Ctx);
        if (Out->empty())
          *Out = llvm::formatv("line {0}: {1}", D.getLineNo(),
                               D.getMessage())
                     .str();
      },
      &Diag);
  // The whole file must be YAML before its meaning is looked at.
  if (!llvm::yaml::Stream(Text, SM).validate())
    return configError(Path, "not valid YAML: " + Diag);
  llvm::yaml::Stream S(Text, SM);
  llvm::StringMap<std::string> Options;
  for (llvm::yaml::Document &Doc : S) {
    llvm::yaml::Node *N = Doc.getRoot();
    if (!N || llvm::isa<llvm::yaml::NullNode>(N))
      continue;
    auto *Top = llvm::dyn_cast<llvm::yaml::MappingNode>(N);
    if (!Top)
      return configError(Path, "not a YAML mapping");
    for (llvm::yaml::KeyValueNode &KV : *Top) {
      std::optional<std::string> K = scalar(KV.getKey());
      llvm::yaml::Node *V = KV.getValue();
      if (K == "CheckOptions") {
        if (!collectOptions(V, Options))
          return configError(Path, "CheckOptions is neither a mapping nor a "
                                   "list of {key, value}");
      } else {
        V->skip(); // other keys are clang-tidy's business
      }
    }
  }
  if (S.failed())
    return configError(Path, "not valid YAML: " + Diag);

  // clang-tidy's getLocalOrGlobal, for the two checks at once: the driver
  // applies one value to both, so they must agree.  An empty value is no
  // value.
  auto Get = [&](llvm::StringRef Name, std::string &Out) -> llvm::Error {
    Out.clear();
    bool Local = false;
    for (llvm::StringRef Check :
         {"kmark-missing-write-once", "kmark-missing-read-once"}) {
      auto It = Options.find((Check + "." + Name).str());
      if (It == Options.end())
        continue;
      if (Local && Out != It->second)
        return configError(Path, "kmark-missing-write-once." + Name +
                                     " and kmark-missing-read-once." + Name +
                                     " differ; kmark's driver applies one "
                                     "value to both checks");
      Out = It->second;
      Local = true;
    }
    if (!Local) {
      auto It = Options.find(Name);
      if (It != Options.end())
        Out = It->second;
    }
    return llvm::Error::success();
  };
  auto Absolute = [&](llvm::StringRef P) {
    llvm::SmallString<256> A(P);
    if (!llvm::sys::path::is_absolute(A) && !Root.empty()) {
      A = Root;
      llvm::sys::path::append(A, P);
    }
    llvm::sys::path::remove_dots(A, true);
    return std::string(A);
  };

  std::string Model, Ext, Min, Headers;
  for (auto [Name, Out] : {std::pair<llvm::StringRef, std::string *>{
                               "KernelModel", &Model},
                           {"KernelModelExtensions", &Ext},
                           {"MinConfidence", &Min},
                           {"CheckHeaders", &Headers}})
    if (llvm::Error E = Get(Name, *Out))
      return std::move(E);
  if (!Model.empty())
    C.KernelModel = Absolute(Model);
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  llvm::StringRef(Ext).split(Parts, ';', -1, false);
  for (llvm::StringRef P : Parts)
    if (!P.trim().empty())
      C.ModelExtensions.push_back(Absolute(P.trim()));
  if (!Min.empty())
    C.MinConfidence = Min;
  if (!Headers.empty()) {
    C.CheckHeaders = llvm::yaml::parseBool(Headers);
    if (!C.CheckHeaders)
      return configError(Path, "CheckHeaders: '" + Headers +
                                   "' is not true or false");
  }
  return C;
}

llvm::Expected<TreeConfig> readTreeConfig(llvm::StringRef Root) {
  llvm::SmallString<256> Path(Root);
  llvm::sys::path::append(Path, ".clang-tidy");
  if (!llvm::sys::fs::exists(Path))
    return TreeConfig();
  auto Buf = llvm::MemoryBuffer::getFile(Path);
  if (!Buf)
    return configError(Path, "cannot read it: " + Buf.getError().message());
  return parseTreeConfig((*Buf)->getBuffer(), Path, Root);
}

} // namespace kmark::driver
