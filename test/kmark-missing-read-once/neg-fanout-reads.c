// RUN: %check_kmark %s 'kmark-*' %t -- %kernel_flags
// Regression (found on the development set, seq_file::private): a field
// read plainly in many places and marked once elsewhere (here a single
// smp_store_release()) is not a field whose rule is marking; its plain
// reads, even in lockless callbacks, stay below the default tier.
#include <linux/compiler.h>

struct seq_like {
	void *private;
};
struct seq_operations {
	int (*show)(struct seq_like *m, void *v);
};

void set_private(struct seq_like *m, void *p)
{
	smp_store_release(&m->private, p);
}

static int show0(struct seq_like *m, void *v)
{
	return *(int *)m->private + 0;
}

static int show1(struct seq_like *m, void *v)
{
	return *(int *)m->private + 1;
}

static int show2(struct seq_like *m, void *v)
{
	return *(int *)m->private + 2;
}

static int show3(struct seq_like *m, void *v)
{
	return *(int *)m->private + 3;
}

static int show4(struct seq_like *m, void *v)
{
	return *(int *)m->private + 4;
}

static int show5(struct seq_like *m, void *v)
{
	return *(int *)m->private + 5;
}

static int show6(struct seq_like *m, void *v)
{
	return *(int *)m->private + 6;
}

static int show7(struct seq_like *m, void *v)
{
	return *(int *)m->private + 7;
}

static int show8(struct seq_like *m, void *v)
{
	return *(int *)m->private + 8;
}

static int show9(struct seq_like *m, void *v)
{
	return *(int *)m->private + 9;
}

const struct seq_operations ops0 = { .show = show0 };
const struct seq_operations ops1 = { .show = show1 };
const struct seq_operations ops2 = { .show = show2 };
const struct seq_operations ops3 = { .show = show3 };
const struct seq_operations ops4 = { .show = show4 };
const struct seq_operations ops5 = { .show = show5 };
const struct seq_operations ops6 = { .show = show6 };
const struct seq_operations ops7 = { .show = show7 };
const struct seq_operations ops8 = { .show = show8 };
const struct seq_operations ops9 = { .show = show9 };
