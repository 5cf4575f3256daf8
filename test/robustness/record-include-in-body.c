// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=low -- %kernel_flags -I%S/Inputs
// A struct whose members come from a header included inside its body:
// naming the unnamed structs it holds brings that header into the TU's
// facts while the struct's own file is being filled in.  Under the
// sanitizer build this fails if the extractor keeps a reference across
// that growth (the struct's file, looked up before its members are named).
#include <linux/compiler.h>
#include <linux/lock.h>

struct bank {
	spinlock_t lock;
	int level;
#include "bank-slots.h"
};

int bank_level(struct bank *b)
{
	return READ_ONCE(b->level);
}

void bank_set(struct bank *b, int v)
{
	spin_lock(&b->lock);
	b->level = v;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'bank::level' races with lockless reader bank_level(), which holds no lock; this store holds 'bank::lock' (confidence: medium, 60) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(b->level, v);
	spin_unlock(&b->lock);
}
