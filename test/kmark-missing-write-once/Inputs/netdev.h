/* A network device and its private area, as a driver sees them. */
struct net_device {
	unsigned int mtu;
	unsigned long priv[];
};

static inline void *netdev_priv(struct net_device *dev)
{
	return (char *)dev + sizeof(struct net_device);
}

struct net_device *nic_alloc_netdev(void);
int register_netdev(struct net_device *dev);
void unregister_netdev(struct net_device *dev);
int request_irq(unsigned int irq, void *handler, unsigned long flags,
		const char *name, void *dev_id);
