// RUN: %check_kmark %s kmark-missing-write-once %t --config MinConfidence=0 -- %kernel_flags
// Regression (kernel/printk/printk.c register_console() on 6.12): stores
// to an object that this function links where its readers find it on
// every path to a return, and has not linked before, are init: nobody can
// read it yet.  An object linked on one branch only (it may be on the list
// already), or after a link in an earlier loop iteration, is reachable.
#include <linux/lock.h>
#include <linux/list.h>

struct list_head cons;

struct con {
	struct list_head node;
	unsigned int flags;
};

unsigned int con_flags(struct con *c)
{
	return READ_ONCE(c->flags);
}

void con_register(struct con *c, int first)
{
	c->flags = 0;
	if (first) {
		c->flags |= 1;
		list_add_rcu(&c->node, &cons);
	} else {
		list_add(&c->node, &cons);
	}
}

void con_add_once(struct con *c, int linked)
{
	c->flags = 2;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'con::flags' races with lockless reader con_flags() (confidence: low, 30) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(c->flags, 2);
	if (!linked)
		list_add_rcu(&c->node, &cons);
}

void con_relink(struct con *c)
{
	list_add_rcu(&c->node, &cons);
	c->flags = 3;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'con::flags' races with lockless reader con_flags() (confidence: low, 30) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(c->flags, 3);
	list_add_rcu(&c->node, &cons);
}
