// RUN: cd %S && %check_kmark %s kmark-missing-write-once %t --config MinConfidence=0 --evidence Inputs/track.c -- %kernel_flags -I%S/Inputs
// Publication derived from a wrapper's body: track_add(), in another file,
// passes its parameter on to track_store(), which stores it in an xarray
// with xa_insert().  Stores to an object before such a call on every path
// are init; a call of track_name(), which publishes nothing, is no
// publication, and neither is a second track_add() of an object added
// once already, a list_add() after it, a wrapper of list_move(), which
// moves an object that is linked already, or a wrapper of list_add(): a
// list is no registry (queue_work() links a live work item).  A cycle of
// calls publishes if one of its functions does.
#include <linux/compiler.h>
#include "track.h"

struct region {
	struct track_entry res;
	unsigned long len;
	struct list_head node;
};

struct list_head regions;

struct region *region_make(void);

unsigned long region_len(struct region *r)
{
	return READ_ONCE(r->len);
}

void region_register(void)
{
	struct region *r = region_make();

	r->len = 4096;
	track_name(&r->res, "region");
	track_add(&r->res);
}

void region_rename(struct region *r, unsigned long len)
{
	r->len = len;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'region::len' races with lockless reader region_len() (confidence: low, 30) [kmark-missing-write-once]
	// CHECK-MESSAGES: :26:19: note: region_len() reads 'r->len' locklessly with READ_ONCE()
	// CHECK-FIXES: WRITE_ONCE(r->len, len);
	track_name(&r->res, "renamed");
}

void region_readd(struct region *r)
{
	track_add(&r->res);
	r->len = 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'region::len' races with lockless reader region_len() (confidence: low, 30) [kmark-missing-write-once]
	// CHECK-MESSAGES: :26:19: note: region_len() reads 'r->len' locklessly with READ_ONCE()
	// CHECK-FIXES: WRITE_ONCE(r->len, 0);
	track_add(&r->res);
}

void region_link_again(struct region *r)
{
	track_add(&r->res);
	r->len = 1;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'region::len' races with lockless reader region_len() (confidence: low, 30) [kmark-missing-write-once]
	// CHECK-MESSAGES: :26:19: note: region_len() reads 'r->len' locklessly with READ_ONCE()
	// CHECK-FIXES: WRITE_ONCE(r->len, 1);
	list_add(&r->node, &regions);
}

void region_touch(struct region *r)
{
	r->len = 2;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'region::len' races with lockless reader region_len() (confidence: low, 30) [kmark-missing-write-once]
	// CHECK-MESSAGES: :26:19: note: region_len() reads 'r->len' locklessly with READ_ONCE()
	// CHECK-FIXES: WRITE_ONCE(r->len, 2);
	track_touch(&r->res);
}

void region_queue(struct region *r)
{
	r->len = 3;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'region::len' races with lockless reader region_len() (confidence: low, 30) [kmark-missing-write-once]
	// CHECK-MESSAGES: :26:19: note: region_len() reads 'r->len' locklessly with READ_ONCE()
	// CHECK-FIXES: WRITE_ONCE(r->len, 3);
	track_queue(&r->res);
}

void region_register_retry(void)
{
	struct region *r = region_make();

	r->len = 8192;
	track_retry(&r->res, 3);
}

void region_spin(struct region *r)
{
	r->len = 4;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'region::len' races with lockless reader region_len() (confidence: low, 30) [kmark-missing-write-once]
	// CHECK-MESSAGES: :26:19: note: region_len() reads 'r->len' locklessly with READ_ONCE()
	// CHECK-FIXES: WRITE_ONCE(r->len, 4);
	track_loop(&r->res, 3);
}
