// RUN: %check_kmark %s kmark-missing-read-once %t --config MinConfidence=0 -- %kernel_flags
// One struct of tunables, each a {min, val, max} triple, and a sysctl
// table whose entries point at members of it: each entry writes its own
// member's val.  A read of a member no entry points at races with none of
// them, and a read of an entry's member names that entry, not the first
// one of the table.
#include <linux/lock.h>
#include <linux/sysctl.h>

struct tunable {
	int min;
	int val;
	int max;
};

struct tunables {
	struct tunable level;
	struct tunable mask;
	struct tunable quiet;
};

struct tunables params;

static struct ctl_table params_table[] = {
	{
		.procname = "mask",
		.data = &params.mask.val,
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
	},
	{
		.procname = "level",
		.data = &params.level.val,
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
	},
};

struct ctl_table *params_sysctls(void)
{
	return params_table;
}

int report_level(void)
{
	return params.level.val;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'tunable::val' races with proc_dointvec_minmax(), which writes it through a sysctl's ctl_table.data with WRITE_ONCE() (confidence: medium, 50) [kmark-missing-read-once]
	// CHECK-MESSAGES: :34:11: note: sysctl 'level': proc_dointvec_minmax() writes 'params.level.val' through ctl_table.data with WRITE_ONCE()
	// CHECK-FIXES: return READ_ONCE(params.level.val);
}

/* No entry writes quiet: nothing races. */
int report_quiet(void)
{
	return params.quiet.val;
}
