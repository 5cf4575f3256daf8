//===- Kcsan.cpp - KCSAN data-race reports, parsed from text -------------===//
//
// The input is a stream of whitespace-separated tokens: syzbot's dashboard
// replaces a report's newlines by spaces, so no line structure survives
// there, and the report's own structure is enough.  A report starts at
// "BUG: KCSAN:" and ends at its footer, its "====" separator, the next
// "BUG:", or an access header beyond those its title announces.  In between
// are access headers, each followed by a run of stack frames, and the
// "value changed" line; anything else (verbose lock dumps, lines that other
// CPUs printed in between) is skipped.
//
// Each step looks at a few tokens ahead from a copy of the lexer, and every
// token is consumed once by the report scanner or the report it starts, so
// parsing is linear in the input whatever it holds.
//
//===----------------------------------------------------------------------===//

#include "kmark/Kcsan.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>

namespace kmark {

llvm::StringRef kcsanAccessKindName(KcsanAccessKind K) {
  switch (K) {
  case KcsanAccessKind::Read:
    return "read";
  case KcsanAccessKind::Write:
    return "write";
  case KcsanAccessKind::ReadWrite:
    return "read-write";
  case KcsanAccessKind::AssertNoWrites:
    return "assert no writes";
  case KcsanAccessKind::AssertNoAccesses:
    return "assert no accesses";
  }
  return "?";
}

namespace {

struct Token {
  llvm::StringRef Text; ///< empty at the end of the input
  size_t Offset = 0;    ///< of Text in the input
  bool Newline = false; ///< a line break since the previous token
};

/// "[  123.456789]" (printk time) or "[ T1234]" / "[    C1]" (printk caller
/// id) at Pos; returns the offset just past it, or 0.  Strict on purpose:
/// "[inline]", "[smc]" and "[W]=WARN" are report text, not prefixes.
size_t printkPrefixEnd(llvm::StringRef Input, size_t Pos) {
  size_t I = Pos + 1;
  auto SkipSpaces = [&] {
    while (I < Input.size() && Input[I] == ' ')
      ++I;
  };
  auto Digits = [&] {
    const size_t Start = I;
    while (I < Input.size() && llvm::isDigit(Input[I]))
      ++I;
    return I > Start;
  };
  SkipSpaces();
  if (I < Input.size() && (Input[I] == 'T' || Input[I] == 'C')) {
    ++I;
    if (!Digits())
      return 0;
  } else {
    if (!Digits() || I >= Input.size() || Input[I] != '.')
      return 0;
    ++I;
    if (!Digits())
      return 0;
  }
  SkipSpaces();
  if (I >= Input.size() || Input[I] != ']')
    return 0;
  return I + 1;
}

/// Tokens of the input with what is not report text left out: printk's time
/// and caller-id prefixes (anywhere, as the dashboard's one-line form keeps
/// them mid-line), and at the start of a line mail quoting ("> "), a syslog
/// prefix ("Jan  1 00:00:00 host kernel: ") and a console log level ("<3>").
/// Copying a Lexer is how the parser looks ahead.
class Lexer {
public:
  explicit Lexer(llvm::StringRef Input) : Input(Input) {}

  Token next() {
    bool Newline = false;
    while (true) {
      while (Pos < Input.size() && llvm::isSpace(Input[Pos])) {
        if (Input[Pos] == '\n')
          LineStart = Newline = true;
        ++Pos;
      }
      if (Pos >= Input.size())
        return {llvm::StringRef(), Input.size(), /*Newline=*/true};
      if (LineStart) {
        LineStart = false;
        skipLinePrefix();
        continue;
      }
      if (Input[Pos] == '[') {
        if (const size_t End = printkPrefixEnd(Input, Pos)) {
          Pos = End;
          continue;
        }
      }
      const size_t Start = Pos;
      while (Pos < Input.size() && !llvm::isSpace(Input[Pos]))
        ++Pos;
      return {Input.slice(Start, Pos), Start, Newline};
    }
  }

  Token peek() const {
    Lexer Copy = *this;
    return Copy.next();
  }

  /// Offset just past the last token returned.
  size_t offset() const { return Pos; }

private:
  void skipLinePrefix() {
    while (Pos < Input.size() && (Input[Pos] == '>' || Input[Pos] == ' ' ||
                                  Input[Pos] == '\t'))
      ++Pos;
    // A syslog line: "Jan 20 14:02:11 host kernel: " or an ISO date and the
    // host, a few words none of which ends in ':' (so no "BUG:" is taken
    // for a date).  Only the start of the line is searched, so a line costs
    // a bounded look whatever its length.
    const llvm::StringRef Head = Input.substr(Pos, 128).split('\n').first;
    const size_t Kernel = Head.find("kernel: ");
    if (Kernel != llvm::StringRef::npos) {
      llvm::SmallVector<llvm::StringRef, 8> Words;
      llvm::SplitString(Head.take_front(Kernel), Words);
      if (Words.size() >= 2 && Words.size() <= 6 &&
          llvm::none_of(Words, [](llvm::StringRef W) {
            return W.ends_with(":") || W.starts_with("[");
          }))
        Pos += Kernel + llvm::StringRef("kernel: ").size();
    }
    if (Pos < Input.size() && Input[Pos] == '<') {
      size_t I = Pos + 1;
      while (I < Input.size() && llvm::isDigit(Input[I]))
        ++I;
      if (I > Pos + 1 && I < Input.size() && Input[I] == '>')
        Pos = I + 1;
    }
  }

  llvm::StringRef Input;
  size_t Pos = 0;
  bool LineStart = true;
};

bool isSymbolChar(char C) {
  return llvm::isAlnum(C) || C == '_' || C == '.' || C == '$';
}

/// A function symbol as %ps prints it: an identifier, possibly with the
/// compiler's clone suffixes ("foo.isra.0", "foo.cold").
bool isSymbol(llvm::StringRef S) {
  if (S.empty() || (!llvm::isAlpha(S[0]) && S[0] != '_'))
    return false;
  return llvm::all_of(S, isSymbolChar);
}

bool isHexDigits(llvm::StringRef S) {
  return !S.empty() && llvm::all_of(S, llvm::isHexDigit);
}

/// "0x" and at least one hex digit, fitting 64 bits when ValueOut is given.
bool parseHex(llvm::StringRef S, uint64_t *ValueOut = nullptr) {
  if (!S.consume_front("0x") || !isHexDigits(S))
    return false;
  if (!ValueOut)
    return true;
  return !S.getAsInteger(16, *ValueOut);
}

bool isModuleName(llvm::StringRef S) {
  return !S.empty() && llvm::all_of(S, [](char C) {
    return llvm::isAlnum(C) || C == '_' || C == '-';
  });
}

/// "path/file.c:123", also with a column and in parentheses (the form
/// scripts/decode_stacktrace.sh prints).  The path must have an extension,
/// which keeps "to:" or "cpu 0:" from looking like one.
bool parseFileLine(llvm::StringRef S, std::string &File, unsigned &Line) {
  if (S.consume_front("("))
    if (!S.consume_back(")"))
      return false;
  auto [Path, Rest] = S.split(':');
  if (Path.empty() || Rest.empty() || !Path.contains('.') ||
      Path.starts_with("0x"))
    return false;
  if (!llvm::all_of(Path, [](char C) {
        return llvm::isAlnum(C) || llvm::is_contained("_./+-~", C);
      }))
    return false;
  const llvm::StringRef LineText = Rest.split(':').first;
  if (LineText.empty() || !llvm::all_of(LineText, llvm::isDigit) ||
      LineText.getAsInteger(10, Line))
    return false;
  File = Path.str();
  return true;
}

/// "<IRQ>", "</TASK>" and the like: context markers inside a stack.
bool isStackMarker(llvm::StringRef S) {
  if (!S.consume_front("<") || !S.consume_back(">"))
    return false;
  S.consume_front("/");
  return !S.empty() && llvm::all_of(S, llvm::isAlpha);
}

bool isSeparator(llvm::StringRef S) {
  return S.size() >= 10 && llvm::all_of(S, [](char C) { return C == '='; });
}

/// "BUG:", also glued to the separator before it.
bool isBugToken(llvm::StringRef S) {
  return S.consume_back("BUG:") &&
         llvm::all_of(S, [](char C) { return C == '='; });
}

/// Whether T may start what follows a stack in a report: an access header,
/// the value change, a "reordered to" line, the footer, or the end.
bool endsStack(llvm::StringRef T) {
  return T.empty() || isSeparator(T) || isBugToken(T) ||
         llvm::is_contained({"read", "write", "read-write", "assert", "race",
                             "value", "bits", "|", "Reported"},
                            T);
}

/// Whether the next tokens are exactly Words; consumes them if so.
bool consumeWords(Lexer &L, llvm::ArrayRef<llvm::StringRef> Words) {
  Lexer S = L;
  for (llvm::StringRef W : Words)
    if (S.next().Text != W)
      return false;
  L = S;
  return true;
}

enum class FrameMode : uint8_t {
  Title, ///< a function of the title: no offset needed
  Stack, ///< a frame in a stack
  Probe, ///< whether a frame starts here, without looking further ahead
};

/// One stack frame at L.  In a stack a frame must show it is one (an
/// offset, a file:line, or a bare address): that is what tells the last
/// frame from the text after it.  The title's functions are parsed loosely,
/// as the kernel prints them without offsets there.
std::optional<KcsanFrame> parseFrame(Lexer &L, FrameMode Mode) {
  const bool Strict = Mode != FrameMode::Title;
  Lexer S = L;
  KcsanFrame F;
  llvm::StringRef T = S.next().Text;
  if (T == "?") {
    F.Unreliable = true;
    T = S.next().Text;
  }
  auto [Name, Off] = T.split('+');
  bool Evident = false;
  if (parseHex(Name) && Off.empty() && T == Name) {
    // An address without a symbol: kept so frame positions stay right.
    if (!Strict)
      return std::nullopt;
    F.RawFunction = Name.str();
    Evident = true;
  } else {
    if (!isSymbol(Name))
      return std::nullopt;
    F.RawFunction = Name.str();
    F.Function = Name.split('.').first.str();
    if (T.contains('+')) {
      auto [OffText, SizeText] = Off.split('/');
      if (!parseHex(OffText, &F.Offset) || !parseHex(SizeText, &F.SymbolSize))
        return std::nullopt;
      Evident = true;
    }
  }
  // What may follow the symbol, in any order: file:line, "[inline]", the
  // module ("[smc]", or "[smc <build id>]" split in two tokens).
  bool Parenthesized = false;
  auto FrameFollows = [](Lexer P) {
    return parseFrame(P, FrameMode::Probe).has_value();
  };
  while (true) {
    Lexer Ahead = S;
    const Token Next = Ahead.next();
    const llvm::StringRef U = Next.Text;
    if (F.File.empty() && parseFileLine(U, F.File, F.Line)) {
      Evident = true;
      Parenthesized = U.starts_with("(");
    } else if (Parenthesized && F.Module.empty() && isModuleName(U) &&
               !Next.Newline &&
               (Ahead.peek().Newline ||
                (Mode == FrameMode::Stack &&
                 (FrameFollows(Ahead) || endsStack(Ahead.peek().Text))))) {
      // decode_stacktrace.sh writes "func (file.c:12) module": the bare word
      // is the module if it ends the frame's line or, in the one-line form,
      // if a frame or what may end a stack follows it (then it cannot be a
      // frame itself).  A probe looks no further, which keeps this linear.
      F.Module = U.str();
    } else if (U == "[inline]" && !F.Inline) {
      F.Inline = true;
    } else if (F.Module.empty() && U.starts_with("[") && U.ends_with("]") &&
               isModuleName(U.drop_front().drop_back())) {
      F.Module = U.drop_front().drop_back().str();
    } else if (F.Module.empty() && U.starts_with("[") &&
               isModuleName(U.drop_front()) &&
               Ahead.peek().Text.ends_with("]") &&
               isHexDigits(Ahead.peek().Text.drop_back())) {
      F.Module = U.drop_front().str();
      Ahead.next();
    } else {
      break;
    }
    S = Ahead;
  }
  if (Strict && !Evident)
    return std::nullopt;
  L = S;
  return F;
}

/// An access header at L: "[race at unknown origin, with ]KIND[ (MODS)] to
/// ADDR of N bytes by (task PID|interrupt) on cpu C:".
std::optional<KcsanAccess> parseHeader(Lexer &L, bool &UnknownOrigin) {
  Lexer S = L;
  KcsanAccess A;
  const bool Unknown =
      consumeWords(S, {"race", "at", "unknown", "origin,", "with"});
  llvm::StringRef T = S.next().Text;
  if (T == "read")
    A.Kind = KcsanAccessKind::Read;
  else if (T == "write")
    A.Kind = KcsanAccessKind::Write;
  else if (T == "read-write")
    A.Kind = KcsanAccessKind::ReadWrite;
  else if (T == "assert" && consumeWords(S, {"no", "writes"}))
    A.Kind = KcsanAccessKind::AssertNoWrites;
  else if (T == "assert" && consumeWords(S, {"no", "accesses"}))
    A.Kind = KcsanAccessKind::AssertNoAccesses;
  else
    return std::nullopt;
  T = S.next().Text;
  if (T.starts_with("(")) {
    // "(marked)", "(reordered)", "(marked, reordered)": a few words at most.
    for (int Words = 0;; ++Words) {
      if (Words == 4)
        return std::nullopt;
      const bool Last = T.ends_with(")");
      const llvm::StringRef W = T.trim("(),");
      A.Marked |= W == "marked";
      A.Reordered |= W == "reordered";
      T = S.next().Text;
      if (Last)
        break;
    }
  }
  if (T != "to")
    return std::nullopt;
  T = S.next().Text;
  if (!parseHex(T))
    return std::nullopt;
  A.Address = T.str();
  if (S.next().Text != "of" || S.next().Text.getAsInteger(10, A.Size) ||
      !consumeWords(S, {"bytes", "by"}))
    return std::nullopt;
  T = S.next().Text;
  if (T == "interrupt")
    A.Interrupt = true;
  else if (T != "task" || S.next().Text.getAsInteger(10, A.Task))
    return std::nullopt;
  if (!consumeWords(S, {"on", "cpu"}))
    return std::nullopt;
  T = S.next().Text;
  T.consume_back(":");
  if (T.getAsInteger(10, A.Cpu))
    return std::nullopt;
  UnknownOrigin = Unknown;
  L = S;
  return A;
}

/// The frames after an access header, up to the first token that is none.
void parseStack(Lexer &L, std::vector<KcsanFrame> &Frames) {
  while (true) {
    Lexer S = L;
    if (isStackMarker(S.next().Text)) {
      L = S;
      continue;
    }
    std::optional<KcsanFrame> F = parseFrame(L, FrameMode::Stack);
    if (!F)
      return;
    Frames.push_back(std::move(*F));
  }
}

std::string collapseSpaces(llvm::StringRef S) {
  llvm::SmallVector<llvm::StringRef, 8> Words;
  llvm::SplitString(S, Words);
  return llvm::join(Words, " ");
}

/// Line numbers of offsets, asked in increasing order: linear in all.
class LineCounter {
public:
  explicit LineCounter(llvm::StringRef Input) : Input(Input) {}
  unsigned lineOf(size_t Offset) {
    Offset = std::min(Offset, Input.size());
    if (Offset > Pos) {
      Line += Input.slice(Pos, Offset).count('\n');
      Pos = Offset;
    }
    return Line;
  }

private:
  llvm::StringRef Input;
  size_t Pos = 0;
  unsigned Line = 1;
};

/// A report whose "BUG: KCSAN:" L has just consumed; Start is the offset of
/// "BUG:", Kcsan that of "KCSAN:".  Leaves L where the report ends.
void parseReport(Lexer &L, llvm::StringRef Input, size_t Start, size_t Kcsan,
                 LineCounter &Lines, KcsanParse &Out) {
  KcsanReport R;
  R.Line = Lines.lineOf(Start);
  auto Problem = [&](llvm::StringRef What) {
    Out.Problems.push_back("line " + std::to_string(R.Line) + ": " +
                           (R.Title.empty() ? std::string("BUG: KCSAN")
                                            : R.Title) +
                           ": " + What.str());
  };

  // Title: "BUG: KCSAN: data-race in f / g", or "... in f+0x71/0xd0" when
  // only one side is known; "assert: race" for ASSERT_EXCLUSIVE_*().
  // Nothing here may consume a "BUG:": it would hide the next report.
  llvm::SmallVector<llvm::StringRef, 2> Type;
  while (Type.size() < 2 && L.peek().Text != "in" && !L.peek().Text.empty() &&
         !isBugToken(L.peek().Text))
    Type.push_back(L.next().Text);
  std::optional<KcsanFrame> First;
  if (!Type.empty() && consumeWords(L, {"in"}))
    First = parseFrame(L, FrameMode::Title);
  if (!First) {
    Problem("dropped: title not understood");
    return;
  }
  R.BugType = llvm::join(Type, " ");
  R.TitleFunctions.push_back(First->RawFunction);
  if (consumeWords(L, {"/"}))
    if (std::optional<KcsanFrame> Second = parseFrame(L, FrameMode::Title))
      R.TitleFunctions.push_back(Second->RawFunction);
  R.Title = collapseSpaces(Input.slice(Kcsan, L.offset()));

  auto Expected = [&] {
    return (R.UnknownOrigin || R.TitleFunctions.size() < 2) ? 1u : 2u;
  };
  while (true) {
    Lexer S = L;
    const llvm::StringRef T = S.next().Text;
    if (T.empty() || isBugToken(T))
      break; // L stays before the next report's "BUG:"
    if (isSeparator(T) ||
        (T == "Reported" &&
         consumeWords(S, {"by", "Kernel", "Concurrency", "Sanitizer"}))) {
      L = S;
      break;
    }
    bool Unknown = false;
    Lexer H = L;
    if (std::optional<KcsanAccess> A = parseHeader(H, Unknown)) {
      // A header beyond what the title announces belongs to no report of
      // ours (KCSAN prints the title first): leave it.
      if (R.Accesses.size() >= Expected())
        break;
      L = H;
      R.UnknownOrigin |= Unknown;
      parseStack(L, A->Frames);
      R.Accesses.push_back(std::move(*A));
      continue;
    }
    L = S;
    if (T == "value" && S.peek().Text == "changed:") {
      S.next();
      const llvm::StringRef Old = S.next().Text;
      const llvm::StringRef Arrow = S.next().Text;
      const llvm::StringRef New = S.next().Text;
      if (parseHex(Old) && (Arrow == "->" || Arrow == "-&gt;") &&
          parseHex(New)) {
        R.OldValue = Old.str();
        R.NewValue = New.str();
        L = S;
      }
    } else if (T == "bits" && S.peek().Text == "changed:") {
      S.next();
      const llvm::StringRef Diff = S.next().Text;
      if (parseHex(Diff) && consumeWords(S, {"with", "mask"}) &&
          parseHex(S.peek().Text)) {
        R.ChangedMask = S.next().Text.str();
        L = S;
      }
    } else if (T == "+->" && consumeWords(S, {"reordered", "to:"})) {
      if (std::optional<KcsanFrame> F = parseFrame(S, FrameMode::Title)) {
        if (!R.Accesses.empty())
          R.Accesses.back().ReorderedTo = std::move(*F);
        L = S;
      }
    }
    // Anything else (lock dumps, "|", interleaved lines) is skipped.
  }

  if (R.Accesses.empty()) {
    Problem("dropped: no access header");
    return;
  }
  std::string Missing;
  if (R.Accesses.size() < Expected())
    Missing = std::to_string(R.Accesses.size()) + " of " +
              std::to_string(Expected()) + " accesses";
  else if (llvm::any_of(R.Accesses,
                        [](const KcsanAccess &A) { return A.Frames.empty(); }))
    Missing = "an access without stack";
  else if (R.UnknownOrigin && R.OldValue.empty())
    Missing = "no value change for an unknown origin";
  R.Complete = Missing.empty();
  if (!R.Complete)
    Problem("incomplete (truncated?), kept: " + Missing);
  Out.Reports.push_back(std::move(R));
}

} // namespace

KcsanParse parseKcsan(llvm::StringRef Text) {
  KcsanParse Out;
  Lexer L(Text);
  LineCounter Lines(Text);
  while (true) {
    const Token T = L.next();
    if (T.Text.empty())
      break;
    if (!isBugToken(T.Text) || L.peek().Text != "KCSAN:")
      continue;
    const Token Kcsan = L.next();
    parseReport(L, Text,
                T.Offset + T.Text.size() - llvm::StringRef("BUG:").size(),
                Kcsan.Offset, Lines, Out);
  }
  return Out;
}

} // namespace kmark
