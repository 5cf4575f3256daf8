//===- Macros.h - The macros around a source location ---------------------===//

#ifndef KMARK_LIB_FACTS_MACROS_H
#define KMARK_LIB_FACTS_MACROS_H

#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/SmallVector.h"

namespace kmark {

/// Names of the macros whose bodies produced the token at L, innermost
/// first, up to the first macro argument boundary.  A token that reached L
/// as another macro's argument (READ_ONCE() written inside
/// WARN_ON()'s parentheses) is looked at where that argument was
/// expanded: its own macros are behind the argument expansions.
inline llvm::SmallVector<llvm::StringRef, 6>
bodyMacros(clang::SourceLocation L, const clang::SourceManager &SM,
           const clang::LangOptions &LO) {
  llvm::SmallVector<llvm::StringRef, 6> Names;
  for (unsigned Depth = 0;
       L.isMacroID() && SM.isMacroArgExpansion(L) && Depth < 32; ++Depth)
    L = SM.getImmediateSpellingLoc(L);
  for (unsigned Depth = 0; L.isMacroID() && Depth < 32; ++Depth) {
    if (SM.isMacroArgExpansion(L))
      break;
    Names.push_back(clang::Lexer::getImmediateMacroName(L, SM, LO));
    L = SM.getImmediateMacroCallerLoc(L);
  }
  return Names;
}

/// Names of every macro whose expansion contains the token at L (as a
/// body token or inside an argument), innermost first.
inline llvm::SmallVector<llvm::StringRef, 8>
enclosingMacros(clang::SourceLocation L, const clang::SourceManager &SM,
                const clang::LangOptions &LO) {
  llvm::SmallVector<llvm::StringRef, 8> Names;
  for (unsigned Depth = 0; L.isMacroID() && Depth < 64; ++Depth) {
    Names.push_back(clang::Lexer::getImmediateMacroName(L, SM, LO));
    L = SM.getImmediateMacroCallerLoc(L);
  }
  return Names;
}

} // namespace kmark

#endif // KMARK_LIB_FACTS_MACROS_H
