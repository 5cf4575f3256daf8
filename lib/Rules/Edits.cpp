//===- Edits.cpp - The text edits of a fix-it -----------------------------===//

#include "RulesImpl.h"

namespace kmark {

std::vector<Edit> wrapEdits(const Access &A) {
  std::vector<Edit> E;
  if (A.Kind == AccessKind::Load) {
    E.push_back({A.Begin, 0, "READ_ONCE("});
    E.push_back({A.End, 0, ")"});
  } else if (A.Kind == AccessKind::Store) {
    E.push_back({A.Begin, 0, "WRITE_ONCE("});
    E.push_back({A.End, A.SepEnd - A.End,
                 A.has(AF_OpAtEndOfLine) ? "," : ", "});
    E.push_back({A.RhsEnd, 0, ")"});
  } else if (A.Op == "++" || A.Op == "--") {
    E.push_back({A.RhsBegin, A.RhsEnd - A.RhsBegin,
                 ("WRITE_ONCE(" + A.Text + ", " + A.Text +
                  (A.Op == "++" ? " + 1)" : " - 1)"))
                     .str()});
  } else {
    llvm::StringRef Op = A.Op.drop_back(); // "+=" -> "+"
    E.push_back({A.Begin, A.RhsEnd - A.Begin,
                 ("WRITE_ONCE(" + A.Text + ", " + A.Text + " " + Op + " " +
                  A.RhsText + ")")
                     .str()});
  }
  return E;
}

std::vector<Edit> normalizeEdits(std::vector<Edit> Edits) {
  // Sort by offset, keeping the given order among equal offsets.
  std::vector<std::pair<uint32_t, size_t>> Order;
  Order.reserve(Edits.size());
  for (size_t I = 0; I < Edits.size(); ++I)
    Order.emplace_back(Edits[I].Offset, I);
  llvm::sort(Order);
  std::vector<Edit> Out;
  for (auto [Offset, I] : Order) {
    Edit &E = Edits[I];
    if (!Out.empty() && Out.back().Offset + Out.back().Length == E.Offset) {
      Out.back().Length += E.Length;
      Out.back().Text += E.Text;
      continue;
    }
    Out.push_back(std::move(E));
  }
  return Out;
}

std::string applyEdits(llvm::StringRef Text, llvm::ArrayRef<Edit> Edits) {
  std::string Out;
  size_t Pos = 0;
  for (const Edit &E : Edits) {
    if (E.Offset < Pos || E.Offset + E.Length > Text.size())
      return std::string(Text); // overlapping or out of range: unchanged
    Out += Text.slice(Pos, E.Offset);
    Out += E.Text;
    Pos = E.Offset + E.Length;
  }
  Out += Text.substr(Pos);
  return Out;
}

} // namespace kmark
