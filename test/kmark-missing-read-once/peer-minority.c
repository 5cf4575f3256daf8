// RUN: %check_kmark %s kmark-missing-read-once %t --config MinConfidence=0 -- %kernel_flags -I%S/Inputs
// Regression (fs/ on 6.12: apparmor's ->mkdir() reads the new dentry's
// name with READ_ONCE(), after it dropped and retook the directory lock;
// every filesystem's ->mkdir() reads it plainly under that lock, and each
// was a finding at the default tier on that one peer): a peer's marking is
// the slot's convention only where a third or more of the slot's other
// fillers that read the field mark it.  Fewer, and it counts as much as a
// helper's contract.
#include <linux/lock.h>
#include "tag_helpers.h"

struct entry {
	const char *name;
	int mode;
};

struct dir_ops {
	int (*make)(struct entry *e);
	int (*stat)(struct entry *e);
};

/* make: one filler of five marks the name. */
static int odd_make(struct entry *e)
{
	return READ_ONCE(e->name) != 0;
}

static int a_make(struct entry *e)
{
	return e->name != 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'entry::name', which odd_make() reads with READ_ONCE(); odd_make(), also 'dir_ops.make', reads it with READ_ONCE() (confidence: low, 37) [kmark-missing-read-once]
	// CHECK-MESSAGES: :25:19: note: odd_make(), also 'dir_ops.make' of 'odd_ops', reads it with READ_ONCE() (1 of the 4 other fillers that read it mark it)
	// CHECK-FIXES: return READ_ONCE(e->name) != 0;
}

static int b_make(struct entry *e)
{
	return e->name[0];
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'entry::name', {{.*}} (confidence: low, 37) [kmark-missing-read-once]
	// CHECK-FIXES: return READ_ONCE(e->name)[0];
}

static int c_make(struct entry *e)
{
	return e->name[1];
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'entry::name', {{.*}} (confidence: low, 37) [kmark-missing-read-once]
	// CHECK-FIXES: return READ_ONCE(e->name)[1];
}

static int d_make(struct entry *e)
{
	return e->name[2];
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'entry::name', {{.*}} (confidence: low, 37) [kmark-missing-read-once]
	// CHECK-FIXES: return READ_ONCE(e->name)[2];
}

/* stat: two fillers of three mark the mode. */
static int a_stat(struct entry *e)
{
	return READ_ONCE(e->mode);
}

static int b_stat(struct entry *e)
{
	return READ_ONCE(e->mode) + 1;
}

static int c_stat(struct entry *e)
{
	return e->mode;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'entry::mode', which a_stat() reads with READ_ONCE(); a_stat(), also 'dir_ops.stat', reads it with READ_ONCE() (confidence: medium, 61) [kmark-missing-read-once]
	// CHECK-FIXES: return READ_ONCE(e->mode);
}

const struct dir_ops odd_ops = { .make = odd_make, .stat = a_stat };
const struct dir_ops a_ops = { .make = a_make, .stat = b_stat };
const struct dir_ops b_ops = { .make = b_make, .stat = c_stat };
const struct dir_ops c_ops = { .make = c_make };
const struct dir_ops d_ops = { .make = d_make };

/* A filler that marks through a header's accessor marks too, whichever
 * filler kmark names: one marks directly, two through tag_read() (and
 * read it plainly once more), two plainly: 3 of 4 others mark it. */
struct tag_ops {
	int (*show)(struct tagged *t);
};

static int d_show(struct tagged *t)
{
	return READ_ONCE(t->tag);
}

static int h1_show(struct tagged *t)
{
	return tag_read(t) + t->tag;
	// CHECK-MESSAGES: :[[@LINE-1]]:23: warning: plain load of 'tagged::tag', which d_show() reads with READ_ONCE(); h1_show() reads it with READ_ONCE() through tag_read() elsewhere (confidence: medium, 58) [kmark-missing-read-once]
	// CHECK-FIXES: return tag_read(t) + READ_ONCE(t->tag);
}

static int h2_show(struct tagged *t)
{
	return tag_read(t) - t->tag;
	// CHECK-MESSAGES: :[[@LINE-1]]:23: warning: plain load of 'tagged::tag', {{.*}} (confidence: medium, 58) [kmark-missing-read-once]
	// CHECK-FIXES: return tag_read(t) - READ_ONCE(t->tag);
}

static int p1_show(struct tagged *t)
{
	return t->tag;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'tagged::tag', which d_show() reads with READ_ONCE(); d_show(), also 'tag_ops.show', reads it with READ_ONCE() (confidence: medium, 58) [kmark-missing-read-once]
	// CHECK-MESSAGES: :90:19: note: d_show(), also 'tag_ops.show' of 'd_tops', reads it with READ_ONCE()
	// CHECK-FIXES: return READ_ONCE(t->tag);
}

static int p2_show(struct tagged *t)
{
	return t->tag + 1;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'tagged::tag', {{.*}} (confidence: medium, 58) [kmark-missing-read-once]
	// CHECK-FIXES: return READ_ONCE(t->tag) + 1;
}

const struct tag_ops d_tops = { .show = d_show };
const struct tag_ops h1_tops = { .show = h1_show };
const struct tag_ops h2_tops = { .show = h2_show };
const struct tag_ops p1_tops = { .show = p1_show };
const struct tag_ops p2_tops = { .show = p2_show };
