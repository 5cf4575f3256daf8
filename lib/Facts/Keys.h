//===- Keys.h - Names of fields, functions and global locks across TUs ----===//
//
// Facts from different translation units meet in the index by these keys, so
// they depend only on declarations, never on the TU: a field is
// "record::member" (an anonymous record is named by its parent, or by where
// it is declared), "record::member@file" when the record is defined outside
// the shared headers (a driver's own header or source file); a function or
// global variable with internal linkage is "name@file".
//
//===----------------------------------------------------------------------===//

#ifndef KMARK_LIB_FACTS_KEYS_H
#define KMARK_LIB_FACTS_KEYS_H

#include "kmark/Facts.h"

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"

#include <functional>
#include <string>

namespace clang {
class Decl;
class FieldDecl;
class FunctionDecl;
class NamedDecl;
class RecordDecl;
class SourceManager;
class VarDecl;
} // namespace clang

namespace kmark {

class Keys {
public:
  /// PathOf gives the path kmark records for a file; keys are saved in Out.
  Keys(const clang::SourceManager &SM, FactSet &Out,
       std::function<llvm::StringRef(clang::FileID)> PathOf)
      : SM(SM), Out(Out), PathOf(std::move(PathOf)) {}

  llvm::StringRef function(const clang::FunctionDecl *FD);
  llvm::StringRef field(const clang::FieldDecl *FD);
  /// A global variable: its name, "name@file" with internal linkage.
  llvm::StringRef global(const clang::VarDecl *VD);
  std::string record(const clang::RecordDecl *RD, unsigned Depth = 0);

private:
  llvm::StringRef pathOf(clang::SourceLocation L);
  llvm::StringRef internal(const clang::NamedDecl *D, const clang::Decl *Def);

  const clang::SourceManager &SM;
  FactSet &Out;
  std::function<llvm::StringRef(clang::FileID)> PathOf;
  llvm::DenseMap<const clang::Decl *, llvm::StringRef> Cache;
};

} // namespace kmark

#endif // KMARK_LIB_FACTS_KEYS_H
