// RUN: %check_kmark %s kmark-missing-write-once %t --config MinConfidence=0 -- %kernel_flags
// Teardown, the mirror of init: once an object is out of its readers'
// reach on every path (taken off the list they walk, its timer stopped
// with del_timer_sync(), unlinked from an RCU list and a grace period
// passed), its stores race with nobody.  Unlinked from an RCU list without
// the grace period, or put back on a list, it is still reachable.
#include <linux/lock.h>
#include <linux/list.h>

struct conn {
	struct list_head node;
	struct timer_list timer;
	unsigned int state;
};

unsigned int conn_state(struct conn *c)
{
	return READ_ONCE(c->state);
}

void conn_close(struct conn *c)
{
	list_del(&c->node);
	c->state = 0;
}

void conn_stop(struct conn *c)
{
	del_timer_sync(&c->timer);
	c->state = 1;
}

void conn_release_rcu(struct conn *c)
{
	list_del_rcu(&c->node);
	synchronize_rcu();
	c->state = 2;
}

void conn_unlink_rcu(struct conn *c)
{
	list_del_rcu(&c->node);
	c->state = 3;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'conn::state' races with lockless reader conn_state() (confidence: low, 30) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(c->state, 3);
}

void conn_requeue(struct conn *c, struct list_head *head)
{
	list_del(&c->node);
	list_add(&c->node, head);
	c->state = 4;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'conn::state' races with lockless reader conn_state() (confidence: low, 30) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(c->state, 4);
}

void conn_maybe_close(struct conn *c, int gone)
{
	if (gone)
		list_del(&c->node);
	c->state = 5;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'conn::state' races with lockless reader conn_state() (confidence: low, 30) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(c->state, 5);
}

/* Unlinking an object says nothing of the elements of its arrays, which
 * other paths still reach (raid5's break_stripe_batch_list(): a stripe
 * taken off its batch list, its devices' flags set while other code
 * tests them). */
struct slot_dev {
	unsigned long flags;
};

struct stripe {
	struct list_head batch;
	struct slot_dev dev[4];
};

unsigned long stripe_dev_flags(struct stripe *s, int i)
{
	return READ_ONCE(s->dev[i].flags);
}

void stripe_unbatch(struct stripe *s, int i)
{
	list_del(&s->batch);
	s->dev[i].flags = 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'slot_dev::flags' races with lockless reader stripe_dev_flags() (confidence: low, {{[0-9]+}}) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(s->dev[i].flags, 0);
}
