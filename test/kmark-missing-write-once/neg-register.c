// RUN: cd %S && %check_kmark %s kmark-missing-write-once %t --config MinConfidence=0 -- %kernel_flags -I%S/Inputs
// A driver's probe fills in its device, and its private area through
// netdev_priv(), then registers it: no other context reaches the device
// before register_netdev(), directly or through a wrapper, so the stores
// before it are init.  The same stores after registration, in an ndo
// handler, or before request_irq() (drivers request their IRQ in
// ndo_open(), on a device that is live) race with the lockless reader.
// Unregistration is the mirror: after unregister_netdev() on every path
// no callback runs on the device.
#include <linux/compiler.h>
#include "netdev.h"

struct nic {
	unsigned int ring_size;
};

unsigned int nic_ring_size(struct net_device *dev)
{
	struct nic *nic = netdev_priv(dev);

	return READ_ONCE(nic->ring_size) + READ_ONCE(dev->mtu);
}

static int nic_publish(struct net_device *dev)
{
	return register_netdev(dev);
}

int nic_probe(void)
{
	struct net_device *dev = nic_alloc_netdev();
	struct nic *nic = netdev_priv(dev);

	nic->ring_size = 256;
	dev->mtu = 1500;
	return register_netdev(dev);
}

int nic_probe_wrapped(void)
{
	struct net_device *dev = nic_alloc_netdev();
	struct nic *nic = netdev_priv(dev);

	nic->ring_size = 512;
	return nic_publish(dev);
}

int nic_probe_late(void)
{
	struct net_device *dev = nic_alloc_netdev();
	struct nic *nic = netdev_priv(dev);
	int err = register_netdev(dev);

	nic->ring_size = 1024;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'nic::ring_size' races with lockless reader nic_ring_size() (confidence: low, 30) [kmark-missing-write-once]
	// CHECK-MESSAGES: :21:19: note: nic_ring_size() reads 'nic->ring_size' locklessly with READ_ONCE()
	// CHECK-FIXES: WRITE_ONCE(nic->ring_size, 1024);
	return err;
}

int nic_open(struct net_device *dev)
{
	struct nic *nic = netdev_priv(dev);

	nic->ring_size = 64;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'nic::ring_size' races with lockless reader nic_ring_size() (confidence: low, 30) [kmark-missing-write-once]
	// CHECK-MESSAGES: :21:19: note: nic_ring_size() reads 'nic->ring_size' locklessly with READ_ONCE()
	// CHECK-FIXES: WRITE_ONCE(nic->ring_size, 64);
	return request_irq(1, 0, 0, "nic", nic);
}

void nic_remove(struct net_device *dev)
{
	struct nic *nic = netdev_priv(dev);

	unregister_netdev(dev);
	nic->ring_size = 0;
}

void nic_remove_early(struct net_device *dev)
{
	struct nic *nic = netdev_priv(dev);

	nic->ring_size = 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'nic::ring_size' races with lockless reader nic_ring_size() (confidence: low, 30) [kmark-missing-write-once]
	// CHECK-MESSAGES: :21:19: note: nic_ring_size() reads 'nic->ring_size' locklessly with READ_ONCE()
	// CHECK-FIXES: WRITE_ONCE(nic->ring_size, 0);
	unregister_netdev(dev);
}
