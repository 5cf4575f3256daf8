# lit configuration for kmark's check and driver tests.
import os

import lit.formats

config.name = "kmark"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".c", ".cpp", ".test"]
config.excludes = ["Inputs", "unit", "kernel", "fuzz", "lit.cfg.py", "check_kmark.py",
                   "validate_sarif.py", "expect_status.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.kmark_obj_root, "test")

inputs = os.path.join(config.test_source_root, "Inputs")
# The example tree's headers double as the tests' mock kernel headers.
example = os.path.join(config.kmark_src_root, "examples", "minikernel")
kernel_include = os.path.join(example, "include")
# The flags every kernel-like test compiles with: the kernel's dialect and
# only the mock headers, as the kernel uses no system headers.
kernel_flags = "-std=gnu11 -nostdinc -I%s" % kernel_include

check = " ".join([
    config.python,
    os.path.join(config.test_source_root, "check_kmark.py"),
    "--clang-tidy", config.clang_tidy,
    "--plugin", config.kmark_plugin,
    "--kmark", config.kmark_driver,
    "--filecheck", config.filecheck,
    "--clang", config.clang,
])

config.substitutions.append(("%check_kmark", check))
config.substitutions.append(("%kernel_flags", kernel_flags))
config.substitutions.append(("%kernel_include", kernel_include))
config.substitutions.append(("%inputs", inputs))
config.substitutions.append(("%clang_tidy", config.clang_tidy))
config.substitutions.append(("%kmark_plugin", config.kmark_plugin))
config.substitutions.append(("%kmark", config.kmark_driver))
config.substitutions.append(("%clang_apply_replacements",
                             config.clang_apply_replacements))
config.substitutions.append(("%clang", config.clang))
config.substitutions.append(("%python", config.python))
config.substitutions.append(("%example", example))
# Every TU of the example tree, as evidence for a test of one of them.
config.substitutions.append(("%all_evidence", " ".join(
    "--evidence " + f for f in [
        "net/ipv4/tcp.c", "net/ipv4/tcp_ipv4.c", "net/ipv4/tcp_input.c",
        "net/ipv4/tcp_output.c", "net/ipv4/tcp_minisocks.c",
        "net/ipv4/af_inet.c", "net/ipv6/tcp_ipv6.c", "net/smc/af_smc.c"])))
# Name the exact tools: never whatever PATH finds first.
config.substitutions.append(("%filecheck", config.filecheck))
config.substitutions.append(("%not", config.not_tool))
# %status N cmd: cmd must exit with exactly N (0 clean, 1 findings, 2 error).
config.substitutions.append(("%status", "%s %s" % (
    config.python, os.path.join(config.test_source_root, "expect_status.py"))))

config.substitutions.append(("%sarif_schema", config.sarif_schema))
if config.sarif_schema and os.path.exists(config.sarif_schema):
    config.available_features.add("sarif-schema")
config.substitutions.append(("%count", os.path.join(
    os.path.dirname(config.filecheck), "count")))

if config.sanitizer_preload:
    # The plugin is built with ASan/UBSan; clang-tidy is not, so the runtime
    # must be loaded first.
    config.environment["LD_PRELOAD"] = config.sanitizer_preload
    config.environment["ASAN_OPTIONS"] = "detect_leaks=0:abort_on_error=0"
    config.environment["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
