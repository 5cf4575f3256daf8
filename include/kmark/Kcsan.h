//===- Kcsan.h - KCSAN data-race reports, parsed from text ---------------===//
//
// The reports that KCSAN prints (kernel/kcsan/report.c), in the forms they
// reach us: dmesg with or without timestamps, syzbot's mails, and syzbot's
// dashboard, which collapses a report into one line.  The parser follows the
// report's structure (title, access headers, stack frames), not its lines,
// so every form parses the same; text around the reports is ignored.  No
// clang here: this only reads what the kernel printed.
//
//===----------------------------------------------------------------------===//

#ifndef KMARK_KCSAN_H
#define KMARK_KCSAN_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kmark {

/// One stack frame: "func.isra.0+0x1f/0x80 fs/file.c:123 [inline] [mod]".
struct KcsanFrame {
  /// The C function: RawFunction without the compiler's clone suffixes
  /// (".isra.0", ".constprop.0", ".part.0", ".cold", ...).  Empty for an
  /// address the kernel could not symbolize.
  std::string Function;
  /// The symbol as printed, without the offset: "smc_poll.isra.0", or
  /// "0xffffffff81234567" for an address without a symbol.
  std::string RawFunction;
  /// +Offset/SymbolSize; both 0 when not printed ([inline] frames).
  uint64_t Offset = 0, SymbolSize = 0;
  std::string File; ///< "net/smc/af_smc.c", empty if not symbolized
  unsigned Line = 0;
  bool Inline = false;     ///< "[inline]": inlined into the next frame
  bool Unreliable = false; ///< "? func+...": a stale frame the unwinder saw
  std::string Module;      ///< "smc" for "[smc]", empty for vmlinux
};

enum class KcsanAccessKind : uint8_t {
  Read,
  Write,
  ReadWrite,
  /// ASSERT_EXCLUSIVE_WRITER() and friends: not accesses, but the kernel
  /// prints them where an access would be.
  AssertNoWrites,
  AssertNoAccesses,
};
/// "read", "write", "read-write", "assert no writes", "assert no accesses".
llvm::StringRef kcsanAccessKindName(KcsanAccessKind K);

/// One side of the race: the access header and its stack.
struct KcsanAccess {
  KcsanAccessKind Kind = KcsanAccessKind::Read;
  bool Marked = false;    ///< "(marked)": READ_ONCE(), atomics, ...
  bool Reordered = false; ///< "(reordered)": seen through a later barrier
  unsigned Size = 0;      ///< in bytes
  std::string Address;    ///< "0xffff88811a82089c", as printed
  bool Interrupt = false; ///< "by interrupt" rather than "by task PID"
  int Task = -1;          ///< the PID, or -1 in an interrupt
  int Cpu = -1;
  std::vector<KcsanFrame> Frames; ///< innermost first
  /// For a reordered access, where it was reordered to ("+-> reordered to:").
  std::optional<KcsanFrame> ReorderedTo;
};

struct KcsanReport {
  /// The title as syzbot names the bug: "KCSAN: data-race in a / b" (the
  /// "BUG: " the kernel puts in front dropped, whitespace normalized).
  std::string Title;
  std::string BugType; ///< "data-race", or "assert: race"
  /// The functions the title names, as printed without offset ("a", "b").
  std::vector<std::string> TitleFunctions;
  /// "race at unknown origin": only one access is known.
  bool UnknownOrigin = false;
  /// In the kernel's order: the other thread's access first, then the one
  /// that set up the watchpoint.
  std::vector<KcsanAccess> Accesses;
  /// "value changed: OLD -> NEW", as printed; empty if not printed.
  std::string OldValue, NewValue;
  /// " bits changed: DIFF with mask MASK": the mask, empty if not printed.
  std::string ChangedMask;
  /// All the accesses the title announces are there, each with a stack
  /// (and, for an unknown origin, the value change that revealed it).
  bool Complete = false;
  unsigned Line = 0; ///< 1-based line of the title in the input
};

struct KcsanParse {
  std::vector<KcsanReport> Reports;
  /// One line for each report not parsed in full: dropped (no title or no
  /// access header) or kept but incomplete (truncated).
  std::vector<std::string> Problems;
};

/// Every KCSAN report in Text, in order.  Linear in the size of Text; any
/// input is fine (garbage, truncated reports, several reports, reports in a
/// mail or a web page).
KcsanParse parseKcsan(llvm::StringRef Text);

} // namespace kmark

#endif // KMARK_KCSAN_H
