//===- Serialization.cpp - Shards and indexes on disk ---------------------===//

#include "kmark/Serialization.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/LEB128.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <limits>

namespace kmark {

namespace {

// Layout: "KMARK\0\0\1" u32 version, u32 kind, u64 payload size, u64 xxh3 of
// the payload, then the payload.  All integers in the payload are ULEB128.
constexpr char Magic[8] = {'K', 'M', 'A', 'R', 'K', '\0', '\0', '\1'};
constexpr size_t HeaderSize = 8 + 4 + 4 + 8 + 8;

class Writer {
public:
  void uint(uint64_t V) {
    uint8_t Buf[16];
    unsigned N = llvm::encodeULEB128(V, Buf);
    Payload.append(reinterpret_cast<const char *>(Buf), N);
  }
  void str(llvm::StringRef S) {
    auto [It, New] = Ids.try_emplace(S, Strings.size());
    if (New)
      Strings.push_back(S);
    uint(It->second);
  }

  // One overload per kind of member a fact's fields() lists.
  void put(llvm::StringRef S) { str(S); }
  void put(bool B) { uint(B ? 1 : 0); }
  template <typename T>
  std::enable_if_t<std::is_integral_v<T> || std::is_enum_v<T>> put(T V) {
    uint(static_cast<uint64_t>(V));
  }
  template <typename T> void put(llvm::ArrayRef<T> List) {
    uint(List.size());
    for (const T &E : List)
      fact(E);
  }
  /// Every field of a fact, in the order its fields() lists them.
  template <typename Fact> void fact(const Fact &F) {
    std::apply([this](const auto &...M) { (this->put(M), ...); }, Fact::fields(F));
  }
  std::string finish(FactsKind Kind) {
    std::string Table;
    {
      Writer T;
      T.uint(Strings.size());
      for (llvm::StringRef S : Strings) {
        T.uint(S.size());
        T.Payload.append(S.data(), S.size());
      }
      Table = std::move(T.Payload);
    }
    std::string Body = Table + Payload;
    std::string Out(Magic, sizeof(Magic));
    char Header[24];
    llvm::support::endian::write32le(Header, FormatVersion);
    llvm::support::endian::write32le(Header + 4, static_cast<uint32_t>(Kind));
    llvm::support::endian::write64le(Header + 8, Body.size());
    llvm::support::endian::write64le(Header + 16, llvm::xxh3_64bits(Body));
    Out.append(Header, sizeof(Header));
    Out += Body;
    return Out;
  }

private:
  std::string Payload;
  llvm::StringMap<uint64_t> Ids;
  std::vector<llvm::StringRef> Strings;
};

class Reader {
public:
  Reader(llvm::StringRef Data, FactSet &Into) : Data(Data), Into(Into) {}

  bool failed() const { return !Error.empty(); }
  const std::string &error() const { return Error; }
  void fail(const llvm::Twine &Why) {
    if (Error.empty())
      Error = llvm::formatv("at byte {0}: {1}", Pos, Why.str()).str();
  }

  uint64_t uint() {
    if (failed())
      return 0;
    // ULEB128, decoded here with every bound checked: at most ten bytes, and
    // the tenth may carry only the top bit of a 64-bit value.
    uint64_t V = 0;
    for (unsigned Shift = 0;; Shift += 7) {
      if (Pos >= Data.size()) {
        fail("malformed integer: runs past the end");
        return 0;
      }
      auto Byte = static_cast<uint8_t>(Data[Pos++]);
      uint64_t Bits = Byte & 0x7f;
      if (Shift == 63 ? Bits > 1 : Shift > 63) {
        fail("malformed integer: too big for 64 bits");
        return 0;
      }
      V |= Bits << Shift;
      if (!(Byte & 0x80))
        return V;
    }
  }
  uint32_t u32() {
    uint64_t V = uint();
    if (V > UINT32_MAX)
      fail("value out of range");
    return static_cast<uint32_t>(V);
  }
  /// A count of items, each at least MinBytes long in the remaining data.
  uint64_t count(unsigned MinBytes) {
    uint64_t N = uint();
    if (!failed() && N > (Data.size() - Pos) / std::max(1U, MinBytes))
      fail("count larger than the data");
    return failed() ? 0 : N;
  }
  llvm::StringRef bytes(uint64_t N) {
    if (failed())
      return {};
    if (N > Data.size() - Pos) {
      fail("string runs past the end");
      return {};
    }
    llvm::StringRef S = Data.substr(Pos, N);
    Pos += N;
    return S;
  }
  llvm::StringRef str() {
    uint64_t Id = uint();
    if (failed())
      return {};
    if (Id >= Strings.size()) {
      fail("bad string index");
      return {};
    }
    return Strings[Id];
  }
  template <typename E> E enumeration(unsigned Limit) {
    uint64_t V = uint();
    if (V >= Limit)
      fail("bad enumeration value");
    return static_cast<E>(failed() ? 0 : V);
  }
  bool atEnd() const { return Pos == Data.size(); }

  // One overload per kind of member a fact's fields() lists.
  void get(llvm::StringRef &S) { S = str(); }
  void get(bool &B) { B = enumeration<unsigned>(2) != 0; }
  void get(uint32_t &V) { V = u32(); }
  void get(uint16_t &V) { V = bounded<uint16_t>(); }
  void get(uint8_t &V) { V = bounded<uint8_t>(); }
  template <typename T> T bounded() {
    uint64_t N = uint();
    if (N > std::numeric_limits<T>::max())
      fail("value out of range");
    return static_cast<T>(N);
  }
  template <typename E> std::enable_if_t<std::is_enum_v<E>> get(E &V) {
    V = enumeration<E>(EnumCount<E>::N);
  }
  template <typename T> void get(llvm::ArrayRef<T> &List) {
    uint64_t N = count(static_cast<unsigned>(std::tuple_size_v<
                                              decltype(T::fields(
                                                  std::declval<T &>()))>));
    llvm::SmallVector<T, 8> Items(N);
    for (T &E : Items)
      fact(E);
    List = Into.save(llvm::ArrayRef<T>(Items));
  }
  /// Every field of a fact, in the order its fields() lists them.
  template <typename Fact> void fact(Fact &F) {
    std::apply([this](auto &...M) { (this->get(M), ...); }, Fact::fields(F));
  }

  std::vector<llvm::StringRef> Strings;

private:
  llvm::StringRef Data;
  FactSet &Into;
  size_t Pos = 0;
  std::string Error;
};

void writeFile(Writer &W, const FileFacts &F) {
  FileFacts::lists(F, [&W](const auto &Facts) {
    W.uint(Facts.size());
    for (const auto &Fact : Facts)
      W.fact(Fact);
  });
}

/// The fewest bytes one encoded fact of this type takes (one per field).
template <typename Fact> constexpr unsigned minBytes() {
  return static_cast<unsigned>(
      std::tuple_size_v<decltype(Fact::fields(std::declval<Fact &>()))>);
}

void readFile(Reader &R, FileFacts &F, const llvm::StringSet<> *Fields) {
  FileFacts::lists(F, [&](auto &Facts) {
    using Fact = typename std::decay_t<decltype(Facts)>::value_type;
    uint64_t N = R.count(minBytes<Fact>());
    Facts.reserve(Fields ? 0 : N);
    for (uint64_t I = 0; I < N && !R.failed(); ++I) {
      Fact X;
      R.fact(X);
      if constexpr (std::is_same_v<Fact, Access>) {
        if (X.End < X.Begin || X.RhsEnd < X.RhsBegin ||
            (X.SepEnd && X.SepEnd < X.End))
          R.fail("offset overflow");
        // Only the fields asked for; functions, slots and calls whole.
        if (Fields && !Fields->contains(X.Field))
          continue;
      }
      Facts.push_back(X);
    }
  });
}

llvm::StringRef kindName(FactsKind K) {
  return K == FactsKind::Shard ? "shard" : "index";
}

} // namespace

std::string encodeFacts(FactsKind Kind, llvm::ArrayRef<const FileFacts *> Files,
                        llvm::ArrayRef<TUEntry> TUs) {
  Writer W;
  // The file table first: an editor reads it alone to learn which header
  // versions the index knows.
  W.uint(Files.size());
  for (const FileFacts *F : Files) {
    W.str(F->Path);
    W.uint(F->Digest);
    W.uint(F->External);
    W.uint(F->Variant);
  }
  for (const FileFacts *F : Files)
    writeFile(W, *F);
  W.uint(TUs.size());
  for (const TUEntry &TU : TUs) {
    W.str(TU.MainFile);
    W.uint(TU.Files.size());
    for (llvm::StringRef F : TU.Files)
      W.str(F);
  }
  return W.finish(Kind);
}

std::string encodeFacts(FactsKind Kind, const FactSet &Set) {
  std::vector<const FileFacts *> Files;
  Files.reserve(Set.Files.size());
  for (const FileFacts &F : Set.Files)
    Files.push_back(&F);
  return encodeFacts(Kind, Files, Set.TUs);
}

llvm::Error decodeFacts(llvm::StringRef Buffer, FactsKind Expected,
                        FactSet &Into, const DecodeOptions &Opts) {
  auto Bad = [&](const llvm::Twine &Why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "not a valid kmark " + kindName(Expected) +
                                       ": " + Why);
  };
  if (Buffer.size() < HeaderSize ||
      Buffer.substr(0, sizeof(Magic)) != llvm::StringRef(Magic, sizeof(Magic)))
    return Bad(Buffer.size() < HeaderSize ? "file is truncated (no header)"
                                          : "wrong magic number");
  const char *H = Buffer.data() + sizeof(Magic);
  uint32_t Version = llvm::support::endian::read32le(H);
  uint32_t Kind = llvm::support::endian::read32le(H + 4);
  uint64_t Size = llvm::support::endian::read64le(H + 8);
  uint64_t Hash = llvm::support::endian::read64le(H + 16);
  if (Version != FormatVersion)
    return Bad(llvm::formatv("written by kmark format version {0}, this kmark "
                             "reads version {1}; rebuild it",
                             Version, FormatVersion));
  if (Kind != static_cast<uint32_t>(Expected))
    return Bad(llvm::formatv(
        "this file is a kmark {0}",
        Kind == static_cast<uint32_t>(FactsKind::Shard) ? "shard" : "index"));
  llvm::StringRef Body = Buffer.drop_front(HeaderSize);
  if (Size != Body.size())
    return Bad(llvm::formatv("file is truncated or has trailing data "
                             "({0} bytes of payload, header says {1})",
                             Body.size(), Size));
  if (llvm::xxh3_64bits(Body) != Hash)
    return Bad("checksum mismatch (the file is corrupt)");

  Reader R(Body, Into);
  uint64_t NStrings = R.count(1);
  R.Strings.reserve(NStrings);
  for (uint64_t I = 0; I < NStrings && !R.failed(); ++I) {
    uint64_t Len = R.uint();
    llvm::StringRef S = R.bytes(Len);
    R.Strings.push_back(Opts.ZeroCopy ? S : Into.save(S));
  }
  uint64_t NFiles = R.count(4);
  size_t First = Into.Files.size();
  Into.Files.resize(First + NFiles);
  for (uint64_t I = 0; I < NFiles && !R.failed(); ++I) {
    FileFacts &F = Into.Files[First + I];
    F.Path = R.str();
    F.Digest = R.uint();
    F.External = R.enumeration<unsigned>(2) != 0;
    F.Variant = R.enumeration<uint8_t>(2);
  }
  if (Opts.TableOnly)
    return R.failed() ? Bad(R.error()) : llvm::Error::success();
  for (uint64_t I = 0; I < NFiles && !R.failed(); ++I)
    readFile(R, Into.Files[First + I], Opts.Fields);
  uint64_t NTUs = R.count(2);
  for (uint64_t I = 0; I < NTUs && !R.failed(); ++I) {
    TUEntry TU;
    TU.MainFile = R.str();
    uint64_t NDeps = R.count(1);
    TU.Files.reserve(NDeps);
    for (uint64_t J = 0; J < NDeps && !R.failed(); ++J)
      TU.Files.push_back(R.str());
    Into.TUs.push_back(std::move(TU));
  }
  if (!R.failed() && !R.atEnd())
    R.fail("trailing bytes after the last section");
  if (R.failed())
    return Bad(R.error());
  return llvm::Error::success();
}

llvm::Error readFactsFile(llvm::StringRef Path, FactsKind Expected,
                          FactSet &Into, const DecodeOptions &Opts) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buf =
      llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!Buf)
    return llvm::createStringError(Buf.getError(), "cannot read '" + Path +
                                                       "': " +
                                                       Buf.getError().message());
  DecodeOptions O = Opts;
  O.ZeroCopy = true;
  if (llvm::Error E = decodeFacts((*Buf)->getBuffer(), Expected, Into, O))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "'" + Path + "': " +
                                       llvm::toString(std::move(E)));
  Into.adopt(std::move(*Buf));
  return llvm::Error::success();
}

llvm::Error writeFileAtomically(llvm::StringRef Path, llvm::StringRef Data) {
  llvm::SmallString<256> Dir(Path);
  llvm::sys::path::remove_filename(Dir);
  if (!Dir.empty())
    if (std::error_code EC = llvm::sys::fs::create_directories(Dir))
      return llvm::createStringError(EC, "cannot create directory '" + Dir +
                                             "': " + EC.message());
  llvm::SmallString<256> Temp;
  int FD = -1;
  if (std::error_code EC = llvm::sys::fs::createUniqueFile(
          Path + ".tmp-%%%%%%%%", FD, Temp))
    return llvm::createStringError(EC, "cannot create a temporary file "
                                       "beside '" + Path + "': " +
                                           EC.message());
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Data;
    OS.flush();
    if (OS.has_error()) {
      std::error_code EC = OS.error();
      OS.clear_error();
      (void)llvm::sys::fs::remove(Temp);
      return llvm::createStringError(EC, "cannot write '" + Temp +
                                             "': " + EC.message());
    }
  }
  if (std::error_code EC = llvm::sys::fs::rename(Temp, Path)) {
    (void)llvm::sys::fs::remove(Temp);
    return llvm::createStringError(EC, "cannot rename '" + Temp + "' to '" +
                                           Path + "': " + EC.message());
  }
  return llvm::Error::success();
}

std::string canonicalPath(llvm::StringRef Path, llvm::StringRef WorkingDir,
                          llvm::StringRef Root) {
  llvm::SmallString<256> Abs(Path);
  if (!llvm::sys::path::is_absolute(Abs) && !WorkingDir.empty()) {
    llvm::SmallString<256> Tmp(WorkingDir);
    llvm::sys::path::append(Tmp, Path);
    Abs = Tmp;
  }
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  llvm::SmallString<256> R(Root.empty() ? WorkingDir : Root);
  llvm::sys::path::remove_dots(R, true);
  if (!R.empty()) {
    llvm::StringRef A(Abs);
    if (A.consume_front(R) &&
        (A.empty() || llvm::sys::path::is_separator(A[0])))
      return A.ltrim("/").str();
  }
  return std::string(Abs);
}

std::string headerShardFileName(llvm::StringRef Path, uint64_t Digest,
                                uint8_t Variant) {
  return llvm::utohexstr(llvm::xxh3_64bits(Path)) + "-" +
         llvm::utohexstr(Digest) + (Variant ? "-m" : "") + ".kmh";
}

std::string shardFileName(llvm::StringRef MainFile) {
  return (llvm::sys::path::filename(MainFile) + "-" +
          llvm::utohexstr(llvm::xxh3_64bits(MainFile)) + ".kms")
      .str();
}

} // namespace kmark
