FROM centos:7
RUN yum -y update && yum clean all
RUN groupadd -g 994 kube && useradd -u 996 -g 994 kube
RUN yum install -y kubernetes-master && yum clean all

FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
RUN Write-Host hello
RUN Write-Host world

# The same without a user: the first two join, the install would fill the
# cleaned cache again.
FROM centos:7
RUN yum -y update && yum clean all
RUN mkdir -p /etc/kubernetes
RUN yum install -y kubernetes-node && yum clean all
