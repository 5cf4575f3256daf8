//===- Options.h - The driver's subcommands and options -------------------===//
//
// kmark's subcommands and their options, defined in Options.cpp.  Several
// commands share an option (-p, --index, --quiet, --sarif, ...): each
// command's file reads the ones it takes from here.
//
//===----------------------------------------------------------------------===//

#ifndef KMARK_TOOLS_OPTIONS_H
#define KMARK_TOOLS_OPTIONS_H

#include "llvm/Support/CommandLine.h"

#include <string>

namespace kmark::driver {

extern llvm::cl::OptionCategory Cat;

extern llvm::cl::SubCommand RunCmd;
extern llvm::cl::SubCommand DiffCmd;
extern llvm::cl::SubCommand MergeCmd;
extern llvm::cl::SubCommand QueryCmd;
extern llvm::cl::SubCommand ReportCmd;
extern llvm::cl::SubCommand DumpCmd;
extern llvm::cl::SubCommand CheckCmd;
extern llvm::cl::SubCommand BaselineCmd;
extern llvm::cl::SubCommand KcsanCmd;

extern llvm::cl::opt<std::string> BuildPath;        ///< -p
extern llvm::cl::list<std::string> Paths;           ///< [file or directory...]
extern llvm::cl::opt<std::string> IndexDir;         ///< --index-dir
extern llvm::cl::opt<std::string> IndexFile;        ///< --index
extern llvm::cl::opt<std::string> RootDir;          ///< --root
extern llvm::cl::opt<unsigned> Jobs;                ///< -j
extern llvm::cl::opt<std::string> MinConfidence;    ///< --min-confidence
extern llvm::cl::opt<std::string> ExportFixes;      ///< --export-fixes
extern llvm::cl::opt<std::string> Sarif;            ///< --sarif
extern llvm::cl::opt<std::string> PatchDir;         ///< --patches
extern llvm::cl::opt<bool> SignOff;                 ///< --signoff
extern llvm::cl::opt<std::string> From;             ///< --from
extern llvm::cl::opt<bool> Headers;                 ///< --headers
extern llvm::cl::opt<bool> Quiet;                   ///< --quiet
extern llvm::cl::opt<bool> Force;                   ///< --force
extern llvm::cl::opt<std::string> Plugin;           ///< --plugin
extern llvm::cl::opt<std::string> ModelFile;        ///< --model
extern llvm::cl::list<std::string> ModelExtensions; ///< --model-extension
extern llvm::cl::opt<std::string> BaselineFile;     ///< --baseline
extern llvm::cl::opt<std::string> BaselineOut;      ///< baseline -o
extern llvm::cl::opt<std::string> BaselineReason;   ///< --reason
extern llvm::cl::opt<std::string> StatsFile;        ///< --stats
extern llvm::cl::opt<unsigned> Strip;               ///< --strip
extern llvm::cl::opt<std::string> MergeOut;         ///< merge -o
extern llvm::cl::list<std::string> MergeInputs;     ///< <shard or directory>...
extern llvm::cl::opt<std::string> QueryField;       ///< <record::field>
extern llvm::cl::opt<bool> QueryJson;               ///< --json
extern llvm::cl::list<std::string> KcsanInputs;     ///< [report file or - ...]
extern llvm::cl::list<std::string> FixesTag;        ///< --fixes
extern llvm::cl::list<std::string> ReportedBy;      ///< --reported-by
extern llvm::cl::list<std::string> Closes;          ///< --closes

} // namespace kmark::driver

#endif // KMARK_TOOLS_OPTIONS_H
