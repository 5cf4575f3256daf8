// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// A readers-writer lock held for reading excludes its writers, not its
// other readers: a store made under down_read() races with a read made
// under down_read() (cache_entry::tgthint upstream); one made under
// down_write() races with none.
#include <linux/lock.h>

struct tbl {
	struct rw_semaphore sem;
	unsigned int hint;
	unsigned int gen;
};

unsigned int tbl_hint(struct tbl *t)
{
	unsigned int h;

	down_read(&t->sem);
	h = READ_ONCE(t->hint);
	up_read(&t->sem);
	return h;
}

void tbl_set_hint(struct tbl *t, unsigned int h)
{
	down_read(&t->sem);
	t->hint = h;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'tbl::hint' races with reader tbl_hint() (confidence: low, 40) [kmark-missing-write-once]
	// CHECK-MESSAGES: :19:16: note: tbl_hint() reads 't->hint' with READ_ONCE() under 'tbl::sem', which does not exclude this store
	// CHECK-FIXES: WRITE_ONCE(t->hint, h);
	up_read(&t->sem);
}

unsigned int tbl_gen(struct tbl *t)
{
	unsigned int g;

	down_read(&t->sem);
	g = READ_ONCE(t->gen);
	up_read(&t->sem);
	return g;
}

void tbl_bump(struct tbl *t)
{
	down_write(&t->sem);
	t->gen = 0;
	up_write(&t->sem);
}
