//===- Baseline.cpp - Findings a maintainer has already looked at ---------===//

#include "kmark/Baseline.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/xxhash.h"

namespace kmark {

std::string fingerprint(const Finding &F) {
  const Access &A = *F.Site;
  // The access as written, without the whitespace a reformat changes.
  std::string Text;
  for (char C : A.Text)
    if (!llvm::isSpace(C))
      Text += C;
  return llvm::utohexstr(llvm::xxh3_64bits(
      (fieldName(A.Field) + "\n" + A.Function + "\n" + Text + "\n" +
       checkName(F.Check))
          .str()));
}

void Baseline::add(BaselineEntry E) {
  auto [It, New] = ByPrint.try_emplace(E.Fingerprint, Entries.size());
  if (New)
    Entries.push_back(std::move(E));
  else if (Entries[It->second].Reason.empty())
    Entries[It->second].Reason = std::move(E.Reason);
}

llvm::Expected<Baseline> Baseline::parse(llvm::StringRef Text,
                                         llvm::StringRef Name) {
  auto Bad = [&](const llvm::Twine &Why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   Name + ": not a kmark baseline: " + Why);
  };
  llvm::Expected<llvm::json::Value> V = llvm::json::parse(Text);
  if (!V)
    return Bad(llvm::toString(V.takeError()));
  const llvm::json::Object *O = V->getAsObject();
  if (!O)
    return Bad("the top level is not an object");
  std::optional<int64_t> Version = O->getInteger("kmarkBaseline");
  if (!Version)
    return Bad("no \"kmarkBaseline\" version");
  if (*Version != BaselineVersion)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("{0}: baseline format version {1}, this kmark reads "
                      "version {2}; write it again with kmark baseline",
                      Name, *Version, BaselineVersion)
            .str());
  const llvm::json::Array *A = O->getArray("findings");
  if (!A)
    return Bad("no \"findings\" array");
  Baseline B;
  size_t I = 0;
  for (const llvm::json::Value &E : *A) {
    const llvm::json::Object *F = E.getAsObject();
    std::optional<llvm::StringRef> Print =
        F ? F->getString("fingerprint") : std::nullopt;
    if (!Print || Print->empty())
      return Bad(llvm::formatv("finding {0} has no fingerprint", I));
    BaselineEntry Entry;
    Entry.Fingerprint = Print->str();
    auto Str = [&](llvm::StringRef Key) {
      return F->getString(Key).value_or("").str();
    };
    Entry.Check = Str("check");
    Entry.Field = Str("field");
    Entry.Function = Str("function");
    Entry.File = Str("file");
    Entry.Line = static_cast<unsigned>(F->getInteger("line").value_or(0));
    Entry.Reason = Str("reason");
    B.add(std::move(Entry));
    ++I;
  }
  return B;
}

Baseline Baseline::of(llvm::ArrayRef<Finding> Findings, const Baseline *Old,
                      llvm::StringRef Reason) {
  Baseline B;
  for (const Finding &F : Findings) {
    BaselineEntry E;
    E.Fingerprint = fingerprint(F);
    E.Check = checkName(F.Check).str();
    E.Field = F.Site->Field.str();
    E.Function = F.Site->Function.split('@').first.str();
    E.File = F.Site->File.str();
    E.Line = F.Site->Line;
    const BaselineEntry *Prior = Old ? Old->find(E.Fingerprint) : nullptr;
    E.Reason = Prior ? Prior->Reason : Reason.str();
    B.add(std::move(E));
  }
  return B;
}

const BaselineEntry *Baseline::find(llvm::StringRef Fingerprint) const {
  auto It = ByPrint.find(Fingerprint);
  return It == ByPrint.end() ? nullptr : &Entries[It->second];
}

bool Baseline::contains(const Finding &F) const {
  return find(fingerprint(F)) != nullptr;
}

std::string Baseline::text() const {
  std::vector<const BaselineEntry *> Sorted;
  Sorted.reserve(Entries.size());
  for (const BaselineEntry &E : Entries)
    Sorted.push_back(&E);
  llvm::sort(Sorted, [](const BaselineEntry *A, const BaselineEntry *B) {
    return std::tie(A->File, A->Line, A->Fingerprint) <
           std::tie(B->File, B->Line, B->Fingerprint);
  });
  llvm::json::Array A;
  for (const BaselineEntry *E : Sorted) {
    llvm::json::Object O{{"fingerprint", E->Fingerprint},
                         {"check", E->Check},
                         {"field", E->Field},
                         {"function", E->Function},
                         {"file", E->File},
                         {"line", E->Line}};
    if (!E->Reason.empty())
      O["reason"] = E->Reason;
    A.push_back(std::move(O));
  }
  llvm::json::Value V = llvm::json::Object{
      {"kmarkBaseline", static_cast<int64_t>(BaselineVersion)},
      {"findings", std::move(A)}};
  return llvm::formatv("{0:2}\n", V).str();
}

} // namespace kmark
