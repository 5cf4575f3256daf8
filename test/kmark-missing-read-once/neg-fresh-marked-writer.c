// RUN: %check_kmark %s kmark-missing-read-once %t --config MinConfidence=0 -- %kernel_flags
// Regression (fs/dcache.c on 6.12: __d_alloc() stores a new dentry's name
// with smp_store_release(), to order its init for lockless walkers, and
// was named as the writer that a plain read of d_name.name in every
// filesystem's ->mkdir() races with): a marked store to an object that is
// not yet published races with no reader.  A marked store to a live one
// does, and so does one to a slot the function cleared: a ring's slot is
// marked for the ring's readers.
#include <linux/lock.h>

typedef unsigned long size_t;
void *memset(void *s, int c, size_t n);

struct tag {
	const char *name;
	int len;
};

struct tag *tag_new(const char *name)
{
	struct tag *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return NULL;
	smp_store_release(&t->name, name);
	return t;
}

const char *tag_name(struct tag *t)
{
	return t->name;
}

void tag_rename(struct tag *t, int len)
{
	WRITE_ONCE(t->len, len);
}

int tag_len(struct tag *t)
{
	return t->len;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'tag::len' races with tag_rename(), which writes it with WRITE_ONCE(); no lock is visibly held in tag_len() (confidence: low, {{[0-9]+}}) [kmark-missing-read-once]
	// CHECK-FIXES: return READ_ONCE(t->len);
}

struct cell {
	int ready;
};

void cell_fill(struct cell *ring, int i)
{
	struct cell *c = &ring[i];

	memset(c, 0, sizeof(*c));
	WRITE_ONCE(c->ready, 1);
}

int cell_ready(struct cell *c)
{
	return c->ready;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'cell::ready' races with cell_fill(), which writes it with WRITE_ONCE(); no lock is visibly held in cell_ready() (confidence: low, {{[0-9]+}}) [kmark-missing-read-once]
	// CHECK-FIXES: return READ_ONCE(c->ready);
}

/* The same, where a function of the file takes the slot and clears it. */
struct slotc {
	int armed;
};

static struct slotc *slotc_take(struct slotc *ring, int i)
{
	struct slotc *s = ring + i;

	memset(s, 0, sizeof(*s));
	return s;
}

void slotc_arm(struct slotc *ring, int i)
{
	struct slotc *s = slotc_take(ring, i);

	WRITE_ONCE(s->armed, 1);
}

int slotc_armed(struct slotc *s)
{
	return s->armed;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'slotc::armed' races with slotc_arm(), which writes it with WRITE_ONCE(); no lock is visibly held in slotc_armed() (confidence: low, {{[0-9]+}}) [kmark-missing-read-once]
	// CHECK-FIXES: return READ_ONCE(s->armed);
}
