//===- Options.cpp - The driver's subcommands and options -----------------===//
//
// Every subcommand and option of kmark, in one place: most options belong
// to several subcommands.  Kept in one file, they are constructed, and
// registered with LLVM's option parser, in the order written.
//
//===----------------------------------------------------------------------===//

#include "Options.h"

namespace kmark::driver {

namespace cl = llvm::cl;

cl::OptionCategory Cat("kmark options");

cl::SubCommand RunCmd("run", "Check a tree: parse every TU once, "
                             "merge the index, report the findings");
cl::SubCommand DiffCmd("diff", "Check the lines a patch changes "
                               "against the tree's index (patch on "
                               "standard input)");
cl::SubCommand MergeCmd("merge", "Merge shards into an index");
cl::SubCommand QueryCmd("query", "Print every access of a field, "
                                 "marked and plain, with its context");
cl::SubCommand ReportCmd("report", "Report findings from an existing "
                                   "index, without parsing");
cl::SubCommand DumpCmd("dump", "Print every fact of an index as "
                               "tab-separated lines, for scripts");
// Listed for --help only: kmark check takes the compiler's flags, which no
// option parser knows, and is dispatched before parsing (checkMain).
cl::SubCommand CheckCmd("check", "kbuild's $(CHECK): make C=1 CHECK=\"kmark "
                                 "check\" checks each file it compiles, with "
                                 "its flags (see kmark check --help)");
cl::SubCommand BaselineCmd("baseline",
                           "Write or update a baseline: the findings "
                           "a maintainer has looked at, which runs "
                           "given --baseline do not report");
cl::SubCommand KcsanCmd("kcsan", "Resolve KCSAN reports against the "
                                 "tree's index: the field, both "
                                 "sites, the verdict, the fix-its");

cl::opt<std::string> BuildPath(
    "p", cl::desc("Directory with compile_commands.json (the tree's root)"),
    cl::value_desc("build-path"), cl::init("."), cl::sub(RunCmd),
    cl::sub(DiffCmd), cl::sub(KcsanCmd), cl::cat(Cat));
cl::list<std::string> Paths(cl::Positional, cl::desc("[file or directory...]"),
                            cl::sub(RunCmd), cl::sub(ReportCmd),
                            cl::sub(BaselineCmd), cl::cat(Cat));
cl::opt<std::string>
    IndexDir("index-dir",
             cl::desc("Where shards and the merged index live (default: "
                      "<build-path>/.kmark)"),
             cl::sub(RunCmd), cl::sub(DiffCmd), cl::sub(KcsanCmd),
             cl::cat(Cat));
cl::opt<std::string> IndexFile(
    "index", cl::desc("The merged index to read (default: .kmark/index.kmi)"),
    cl::init(".kmark/index.kmi"), cl::sub(QueryCmd), cl::sub(ReportCmd),
    cl::sub(DumpCmd), cl::sub(BaselineCmd), cl::cat(Cat));
cl::opt<std::string>
    RootDir("root",
            cl::desc("Directory the index's paths are relative to "
                     "(default: the current directory)"),
            cl::init("."), cl::sub(QueryCmd), cl::sub(ReportCmd),
            cl::sub(BaselineCmd), cl::cat(Cat));
cl::opt<unsigned> Jobs("j", cl::desc("Translation units in parallel"),
                       cl::init(0), cl::sub(RunCmd), cl::sub(DiffCmd),
                       cl::cat(Cat));
cl::opt<std::string> MinConfidence(
    "min-confidence",
    cl::desc("Report findings at or above: low, medium, high or 0-100 "
             "(default: medium)"),
    cl::init("medium"), cl::sub(RunCmd), cl::sub(DiffCmd), cl::sub(ReportCmd),
    cl::sub(BaselineCmd), cl::cat(Cat));
cl::opt<std::string>
    ExportFixes("export-fixes",
                cl::desc("Write the fix-its as clang-tidy's YAML (for "
                         "clang-apply-replacements)"),
                cl::value_desc("file.yaml"), cl::sub(RunCmd), cl::sub(DiffCmd),
                cl::sub(ReportCmd), cl::sub(KcsanCmd), cl::cat(Cat));
cl::opt<std::string> Sarif("sarif", cl::desc("Write SARIF 2.1.0"),
                           cl::value_desc("file.sarif"), cl::sub(RunCmd),
                           cl::sub(DiffCmd), cl::sub(ReportCmd),
                           cl::sub(KcsanCmd), cl::cat(Cat));
cl::opt<std::string> PatchDir(
    "patches",
    cl::desc("Write one git format-patch mail per field into this directory"),
    cl::sub(RunCmd), cl::sub(ReportCmd), cl::sub(KcsanCmd), cl::cat(Cat));
cl::opt<bool> SignOff("signoff",
                      cl::desc("Add Signed-off-by from --from or git "
                               "config to the patches"),
                      cl::sub(RunCmd), cl::sub(ReportCmd), cl::sub(KcsanCmd),
                      cl::cat(Cat));
cl::opt<std::string>
    From("from", cl::desc("Author of the patches (default: git config user)"),
         cl::sub(RunCmd), cl::sub(ReportCmd), cl::sub(KcsanCmd), cl::cat(Cat));
cl::opt<bool>
    Headers("headers",
            cl::desc("Also report findings in headers below the given paths"),
            cl::sub(RunCmd), cl::sub(ReportCmd), cl::sub(BaselineCmd),
            cl::cat(Cat));
cl::opt<bool> Quiet("quiet", cl::desc("No progress, no summary"),
                    cl::sub(RunCmd), cl::sub(DiffCmd), cl::sub(ReportCmd),
                    cl::sub(KcsanCmd), cl::sub(BaselineCmd), cl::cat(Cat));
cl::opt<bool> Force("force",
                    cl::desc("Re-parse every TU even when its shard is "
                             "up to date"),
                    cl::sub(RunCmd), cl::cat(Cat));
cl::opt<std::string> Plugin("plugin",
                            cl::desc("Path of libkmark.so (the kernel "
                                     "model is read from beside it)"),
                            cl::sub(RunCmd), cl::sub(DiffCmd), cl::cat(Cat));
cl::opt<std::string> ModelFile(
    "model",
    cl::desc("The kernel model to use instead of the one beside the plugin"),
    cl::value_desc("model.yaml"), cl::sub(RunCmd), cl::sub(DiffCmd),
    cl::sub(QueryCmd), cl::sub(ReportCmd), cl::sub(DumpCmd), cl::sub(KcsanCmd),
    cl::sub(BaselineCmd), cl::cat(Cat));
cl::list<std::string> ModelExtensions(
    "model-extension",
    cl::desc("A file that extends the kernel model: a subsystem's lock "
             "wrappers, allocators, slots (repeatable)"),
    cl::value_desc("extra.yaml"), cl::sub(RunCmd), cl::sub(DiffCmd),
    cl::sub(QueryCmd), cl::sub(ReportCmd), cl::sub(DumpCmd), cl::sub(KcsanCmd),
    cl::sub(BaselineCmd), cl::cat(Cat));
cl::opt<std::string> BaselineFile(
    "baseline",
    cl::desc("Do not report the findings this file lists (kmark baseline "
             "writes it); SARIF marks results new, unchanged or absent"),
    cl::value_desc("baseline.json"), cl::sub(RunCmd), cl::sub(DiffCmd),
    cl::sub(ReportCmd), cl::cat(Cat));
cl::opt<std::string>
    BaselineOut("o",
                cl::desc("The baseline to write; an existing one is updated, "
                         "keeping its reasons"),
                cl::value_desc("baseline.json"), cl::Required,
                cl::sub(BaselineCmd), cl::cat(Cat));
cl::opt<std::string>
    BaselineReason("reason",
                   cl::desc("Why the findings new to the baseline are fine"),
                   cl::sub(BaselineCmd), cl::cat(Cat));
cl::opt<std::string>
    StatsFile("stats", cl::desc("Write per-TU CPU time and peak RSS as JSON"),
              cl::sub(RunCmd), cl::cat(Cat));
cl::opt<unsigned> Strip("strip",
                        cl::desc("Leading path components to strip "
                                 "from the patch (like patch -p)"),
                        cl::init(1), cl::sub(DiffCmd), cl::cat(Cat));
cl::opt<std::string> MergeOut("o", cl::desc("Output index"),
                              cl::value_desc("index.kmi"), cl::Required,
                              cl::sub(MergeCmd), cl::cat(Cat));
cl::list<std::string> MergeInputs(cl::Positional, cl::OneOrMore,
                                  cl::desc("<shard or directory>..."),
                                  cl::sub(MergeCmd), cl::cat(Cat));
cl::opt<std::string> QueryField(cl::Positional, cl::Required,
                                cl::desc("<record::field or field>"),
                                cl::sub(QueryCmd), cl::cat(Cat));
cl::opt<bool> QueryJson("json", cl::desc("Print JSON"), cl::sub(QueryCmd),
                        cl::cat(Cat));
cl::list<std::string> KcsanInputs(cl::Positional,
                                  cl::desc("[report file or - ...]"),
                                  cl::sub(KcsanCmd), cl::cat(Cat));
cl::list<std::string> FixesTag(
    "fixes",
    cl::desc("A Fixes: trailer for the patches: 12 digits of the commit "
             "and its subject in (\"...\")"),
    cl::value_desc("commit"), cl::sub(KcsanCmd), cl::cat(Cat));
cl::list<std::string>
    ReportedBy("reported-by",
               cl::desc("A Reported-by: trailer for the patches (repeatable)"),
               cl::value_desc("Name <mail>"), cl::sub(KcsanCmd), cl::cat(Cat));
cl::list<std::string>
    Closes("closes", cl::desc("A Closes: trailer for the patches (repeatable)"),
           cl::value_desc("url"), cl::sub(KcsanCmd), cl::cat(Cat));

} // namespace kmark::driver
