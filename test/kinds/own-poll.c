// RUN: %check_kmark %s 'kmark-*' %t -- %kernel_flags
// The same shared struct, where the atm-like family has a poll of its own
// that reads err without a lock.  The inet family's READ_ONCE() shows the
// convention; the race is between the atm store and the atm poll, and each
// finding names the other first (smc_connect_work() and smc_poll() in
// Linux 6.12).
#include <linux/lock.h>

struct base {
	spinlock_t lock;
	int err;
};

struct inet_like {
	struct base b;
	unsigned int port;
};

struct atm_like {
	struct base b;
	unsigned int vci;
};

struct file_operations {
	unsigned int (*poll)(struct base *b);
};

#define inet_of(p) container_of(p, struct inet_like, b)
#define atm_of(p) container_of(p, struct atm_like, b)

static unsigned int inet_poll(struct base *b)
{
	struct inet_like *in = inet_of(b);

	return in->port && READ_ONCE(b->err);
}

static unsigned int atm_poll(struct base *b)
{
	struct atm_like *a = atm_of(b);

	return a->vci && b->err;
	// CHECK-MESSAGES: :[[@LINE-1]]:19: warning: plain load of 'base::err' races with atm_error(), which writes it plainly; inet_poll(), also 'file_operations.poll', reads it with READ_ONCE() (confidence: high, 85) [kmark-missing-read-once]
	// CHECK-MESSAGES: :[[@LINE+12]]:3: note: atm_error() writes 'b->err' plainly, on an object of this kind (atm_like)
	// CHECK-MESSAGES: :35:31: note: inet_poll(), also 'file_operations.poll' of 'inet_ops', reads it with READ_ONCE()
	// CHECK-MESSAGES: :[[@LINE+19]]:50: note: atm_poll() is 'file_operations.poll' of 'atm_ops', which runs without the writers' lock
	// CHECK-FIXES: return a->vci && READ_ONCE(b->err);
}

void atm_error(struct base *b, int err)
{
	struct atm_like *a = atm_of(b);

	spin_lock(&b->lock);
	if (a->vci)
		b->err = err;
	// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: plain store to 'base::err' races with lockless reader atm_poll(); inet_poll() reads it with READ_ONCE() on another kind of object (confidence: medium, 60) [kmark-missing-write-once]
	// CHECK-MESSAGES: :42:19: note: atm_poll() reads it without a lock here, on an object of this kind (atm_like)
	// CHECK-MESSAGES: :35:31: note: inet_poll() reads 'b->err' with READ_ONCE(), on another kind of object (inet_like)
	// CHECK-FIXES: WRITE_ONCE(b->err, err);
	spin_unlock(&b->lock);
}

const struct file_operations inet_ops = { .poll = inet_poll };
const struct file_operations atm_ops = { .poll = atm_poll };
