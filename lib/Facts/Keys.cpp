//===- Keys.cpp - Names of fields, functions and global locks across TUs --===//

#include "Keys.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Type.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace kmark {

llvm::StringRef Keys::pathOf(SourceLocation L) {
  return PathOf(SM.getFileID(SM.getFileLoc(L)));
}

llvm::StringRef Keys::internal(const NamedDecl *D, const Decl *Def) {
  std::string Key = D->getQualifiedNameAsString();
  if (!D->isExternallyVisible()) {
    Key += "@";
    Key += pathOf((Def ? Def : D)->getLocation());
  }
  return Out.save(Key);
}

llvm::StringRef Keys::function(const FunctionDecl *FD) {
  FD = FD->getCanonicalDecl();
  auto [It, New] = Cache.try_emplace(FD);
  if (New)
    It->second = internal(FD, FD->getDefinition());
  return It->second;
}

llvm::StringRef Keys::global(const VarDecl *VD) {
  VD = VD->getCanonicalDecl();
  auto [It, New] = Cache.try_emplace(VD);
  if (New)
    It->second = internal(VD, VD->getDefinition());
  return It->second;
}

std::string Keys::record(const RecordDecl *RD, unsigned Depth) {
  if (!RD)
    return "(unknown)";
  if (RD->getIdentifier())
    return RD->getQualifiedNameAsString();
  if (const TypedefNameDecl *TD = RD->getTypedefNameForAnonDecl())
    return TD->getQualifiedNameAsString();
  const auto *Parent = dyn_cast<RecordDecl>(RD->getDeclContext());
  if (Parent && Depth < 16) {
    if (RD->isAnonymousStructOrUnion())
      return record(Parent, Depth + 1);
    for (const FieldDecl *F : Parent->fields())
      if (F->getType()->getAsRecordDecl() == RD)
        return record(Parent, Depth + 1) + "." + F->getName().str();
  }
  PresumedLoc P = SM.getPresumedLoc(SM.getFileLoc(RD->getLocation()));
  std::string Where =
      P.isValid() ? pathOf(RD->getLocation()).str() + ":" +
                        std::to_string(P.getLine())
                  : "?";
  return "(anonymous at " + Where + ")";
}

/// Whether a file is a shared header: one under a directory named
/// include (include/linux/, arch/x86/include/), which every part of the
/// tree that uses a struct of it includes.
static bool sharedHeader(llvm::StringRef Path) {
  return Path.starts_with("include/") || Path.contains("/include/");
}

llvm::StringRef Keys::field(const FieldDecl *FD) {
  auto [It, New] = Cache.try_emplace(FD);
  if (New) {
    std::string Key = record(FD->getParent()) + "::" + FD->getName().str();
    // A struct defined in a driver's or subsystem's own header or source
    // file is that code's: e1000, e1000e, igb and igbvf each define a
    // struct e1000_hw of their own.
    llvm::StringRef Path = pathOf(FD->getParent()->getLocation());
    if (!Path.empty() && !sharedHeader(Path)) // not a builtin's record
      Key += ("@" + Path).str();
    It->second = Out.save(Key);
  }
  return It->second;
}

} // namespace kmark
