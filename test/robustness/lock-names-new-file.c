// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=low -- %kernel_flags -I%S/Inputs
// The lock analysis names a lock by its field's key, which may bring a new
// file into the TU's facts while the function's own file is being filled
// in (fs/jffs2/file.c crashed so).  Under the sanitizer build this fails
// if the extractor keeps a reference across that growth.
#include <linux/compiler.h>
#include <linux/lock.h>
#include "holder.h"

struct counter {
	int n;
};

int counter_peek(struct counter *c)
{
	return READ_ONCE(c->n);
}

void counter_bump(struct holder *h, struct counter *c)
{
	mutex_lock(&h->m);
	c->n = 1;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'counter::n' races with lockless reader counter_peek(), which holds no lock; this store holds 'holder::m' (confidence: low, 40) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(c->n, 1);
	mutex_unlock(&h->m);
}
